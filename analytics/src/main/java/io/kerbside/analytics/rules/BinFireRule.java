package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A bin may be on fire: its temperature is at or above {@code temp_c}, or it rose by at least
 * {@code rise_c} within {@code rise_window_min}. A bin reporting less often than the rise window
 * (every 15 minutes) cannot show a ten-minute rise, so the previous reading stands in as the
 * baseline when it is at most {@code max_gap_min} older than the newest.
 *
 * <p>Hysteresis: a fire smoulders, so the alert clears only after {@code clear_after_min} in which
 * every reading stayed below {@code clear_temp_c} with no rise; until then UNKNOWN keeps it open.
 */
public final class BinFireRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "bin-fire",
          Set.of(DeviceKind.BIN),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.CRITICAL,
          RuleParams.of(
              "temp_c", 60,
              "rise_c", 15,
              "rise_window_min", 10,
              "max_gap_min", 30,
              "clear_temp_c", 45,
              "clear_after_min", 60),
          "bin temperature at or above temp_c, or rising by rise_c within rise_window_min");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("clear_after_min").plus(params.duration("max_gap_min"));
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    List<Sample> temps = in.window().series(Metric.TEMP_C);
    if (temps.isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    Sample latest = temps.get(temps.size() - 1);
    double rise = riseTo(temps, temps.size() - 1, p);
    if (latest.value() >= p.get("temp_c") || rise >= p.get("rise_c")) {
      String why =
          latest.value() >= p.get("temp_c")
              ? String.format(Locale.ROOT, "bin at %.0f °C: possible fire", latest.value())
              : String.format(
                  Locale.ROOT,
                  "bin temperature up %.0f °C to %.0f °C: possible fire",
                  rise,
                  latest.value());
      return Evaluation.active(
          latest.at(), latest.value(), why, Map.of("temp_c", latest.value(), "rise_c", rise));
    }
    Instant calmFrom = latest.at().minus(p.duration("clear_after_min"));
    boolean calm = temps.get(0).at().compareTo(calmFrom) <= 0;
    for (int i = 0; i < temps.size() && calm; i++) {
      Sample s = temps.get(i);
      if (s.at().isBefore(calmFrom)) {
        continue;
      }
      if (s.value() >= p.get("clear_temp_c") || riseTo(temps, i, p) >= p.get("rise_c")) {
        calm = false;
      }
    }
    return calm ? Evaluation.clear(latest.at(), latest.value()) : Evaluation.unknown(in.asOf());
  }

  /** How far sample {@code i} is above the coolest reading of its rise window. */
  private static double riseTo(List<Sample> temps, int i, RuleParams p) {
    Sample s = temps.get(i);
    Instant from = s.at().minus(p.duration("rise_window_min"));
    double low = Double.POSITIVE_INFINITY;
    for (int j = i - 1; j >= 0; j--) {
      Sample b = temps.get(j);
      boolean inWindow = !b.at().isBefore(from);
      boolean previousStandsIn =
          j == i - 1 && !b.at().isBefore(s.at().minus(p.duration("max_gap_min")));
      if (!inWindow && !previousStandsIn) {
        break;
      }
      low = Math.min(low, b.value());
    }
    return low == Double.POSITIVE_INFINITY ? 0 : s.value() - low;
  }
}
