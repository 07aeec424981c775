package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A sensor is stuck: a metric that always varies a little reports exactly the same value for at
 * least {@code duration_h} and {@code min_readings} readings in a row. The metrics watched are
 * those a working sensor never holds still: a bin's {@code fill_pct} and {@code temp_c}, a lit
 * lamp's {@code power_w} (only readings with the lamp on and drawing at least {@code min_power_w}:
 * a meter may read a steady 0 W while off, and a failed lamp's steady standby is {@code
 * lamp-failure}'s), and a footway's {@code surface_temp_c} and {@code air_temp_c}. A value at
 * either end of the metric's range (an empty or brim-full bin) can be genuinely steady and is not
 * counted. The value is the hours the longest stuck metric has held still.
 *
 * <p>Hysteresis: it clears when the newest value of every watched metric differs from the one
 * before it; a stuck run shorter than the threshold is UNKNOWN and keeps the alert.
 */
public final class StuckSensorRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "stuck-sensor",
          EnumSet.allOf(DeviceKind.class),
          Scope.DEVICE,
          Set.of(Trigger.READING),
          Severity.MINOR,
          RuleParams.of("duration_h", 6, "min_readings", 12, "min_power_w", 5),
          "a metric that should vary repeats exactly the same value for duration_h");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  private static final Map<DeviceKind, List<Metric>> WATCHED =
      Map.of(
          DeviceKind.BIN, List.of(Metric.FILL_PCT, Metric.TEMP_C),
          DeviceKind.STREETLIGHT, List.of(Metric.POWER_W),
          DeviceKind.PAVEMENT, List.of(Metric.SURFACE_TEMP_C, Metric.AIR_TEMP_C));

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("duration_h").plusHours(1);
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    double longestH = 0;
    Metric longest = null;
    int runLength = 0;
    boolean allMoving = true;
    boolean anySeries = false;
    for (Metric m : WATCHED.getOrDefault(in.subject().kind(), List.of())) {
      List<Sample> s =
          Spacing.samples(watchedSeries(in.window(), m, p.get("min_power_w")), in.subject());
      if (s.size() < 2) {
        allMoving = false;
        continue;
      }
      anySeries = true;
      double v = s.get(s.size() - 1).value();
      int start = s.size() - 1;
      while (start > 0 && s.get(start - 1).value() == v) {
        start--;
      }
      int length = s.size() - start;
      if (length > 1 || v == m.min() || v == m.max()) {
        allMoving = false;
      }
      if (v == m.min() || v == m.max()) {
        continue;
      }
      double hours = Series.hours(s.get(start).at(), s.get(s.size() - 1).at());
      if (length >= Series.count(p, "min_readings")
          && hours >= p.get("duration_h")
          && hours > longestH) {
        longestH = hours;
        longest = m;
        runLength = length;
      }
    }
    WindowReading latest = in.window().latest().orElse(null);
    if (longest != null) {
      double value = in.window().latest(longest).map(Sample::value).orElse(Double.NaN);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("metric", longest.code());
      details.put("value", value);
      details.put("readings", runLength);
      return Evaluation.active(
          latest.at(),
          longestH,
          String.format(
              Locale.ROOT,
              "%s stuck at %s for %.1f h (%d readings): sensor fault",
              longest.code(),
              value,
              longestH,
              runLength),
          details);
    }
    if (anySeries && allMoving) {
      return Evaluation.clear(latest.at(), 0);
    }
    return Evaluation.unknown(in.asOf());
  }

  /** The metric's samples, keeping a lamp's power only while it is on. */
  private static List<Sample> watchedSeries(ReadingWindow window, Metric metric, double minW) {
    if (metric != Metric.POWER_W) {
      return window.series(metric);
    }
    List<Sample> out = new ArrayList<>();
    for (WindowReading r : window.readings()) {
      if (r.value(Metric.LAMP_ON).orElse(0) >= 0.5 && r.value(Metric.POWER_W).orElse(0) >= minW) {
        out.add(new Sample(r.at(), r.value(Metric.POWER_W).getAsDouble()));
      }
    }
    return out;
  }
}
