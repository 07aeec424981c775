package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A sensor reports values that the street cannot produce, though its metric's range accepts them: a
 * sensor fault, not an event. Ingest already rejects what the hardware cannot report ({@link
 * Metric#inRange}); this rule applies the tighter band of British weather and mains supply:
 *
 * <ul>
 *   <li>a bin's {@code temp_c} below {@code min_temp_c} (the UK record low is −27 °C; a bin fire is
 *       hot, so high values are left to {@code bin-fire});
 *   <li>a footway's {@code air_temp_c} outside {@code min_temp_c}..{@code max_air_temp_c} and its
 *       {@code surface_temp_c} outside {@code min_temp_c}..{@code max_surface_temp_c} (sunlit
 *       asphalt can pass 60 °C);
 *   <li>the surface more than {@code max_below_air_c} below or {@code max_above_air_c} above the
 *       air (a clear night cools a surface a few degrees below the air; sun warms it up to about 25
 *       °C above): a drifting or detached probe;
 *   <li>the surface moving by more than {@code surface_jump_c} from the previous reading within
 *       {@code jump_window_min} (a road surface has heat capacity);
 *   <li>a streetlight's {@code voltage_v} outside {@code min_voltage_v}..{@code max_voltage_v}
 *       while not 0 (no supply is an outage, not a sensor fault; UK mains is 230 V +10 %/−6 %).
 * </ul>
 *
 * The value is the number of implausible values in the newest reading.
 *
 * <p>Hysteresis: ACTIVE on any implausible value in the newest reading; CLEAR only after {@code
 * clear_readings} plausible readings in a row, so an intermittent fault does not flap; between,
 * UNKNOWN keeps the alert.
 */
public final class OutOfRangeValuesRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "out-of-range-values",
          EnumSet.allOf(DeviceKind.class),
          Scope.DEVICE,
          Set.of(Trigger.READING),
          Severity.MINOR,
          RuleParams.of(
              "min_temp_c", -35,
              "max_air_temp_c", 45,
              "max_surface_temp_c", 75,
              "max_below_air_c", 12,
              "max_above_air_c", 30,
              "surface_jump_c", 15,
              "jump_window_min", 30,
              "min_voltage_v", 180,
              "max_voltage_v", 270,
              "clear_readings", 6,
              "history_h", 6),
          "values outside what the street can produce: a sensor fault");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("history_h");
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    List<WindowReading> readings = Spacing.readings(in);
    if (readings.isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    int last = readings.size() - 1;
    List<String> faults = faults(readings, last, in.params());
    WindowReading latest = readings.get(last);
    if (!faults.isEmpty()) {
      return Evaluation.active(
          latest.at(),
          faults.size(),
          "implausible " + String.join("; ", faults) + ": sensor fault",
          Map.of("faults", List.copyOf(faults)));
    }
    int n = Series.count(in.params(), "clear_readings");
    if (readings.size() < n) {
      return Evaluation.unknown(in.asOf());
    }
    for (int i = last - 1; i > last - n; i--) {
      if (!faults(readings, i, in.params()).isEmpty()) {
        return Evaluation.unknown(in.asOf());
      }
    }
    return Evaluation.clear(latest.at(), 0);
  }

  private static List<String> faults(List<WindowReading> readings, int i, RuleParams p) {
    WindowReading r = readings.get(i);
    List<String> out = new ArrayList<>();
    below(out, r, Metric.TEMP_C, p.get("min_temp_c"));
    below(out, r, Metric.AIR_TEMP_C, p.get("min_temp_c"));
    above(out, r, Metric.AIR_TEMP_C, p.get("max_air_temp_c"));
    below(out, r, Metric.SURFACE_TEMP_C, p.get("min_temp_c"));
    above(out, r, Metric.SURFACE_TEMP_C, p.get("max_surface_temp_c"));
    OptionalDouble volts = r.value(Metric.VOLTAGE_V);
    if (volts.isPresent() && volts.getAsDouble() > 0) {
      below(out, r, Metric.VOLTAGE_V, p.get("min_voltage_v"));
      above(out, r, Metric.VOLTAGE_V, p.get("max_voltage_v"));
    }
    OptionalDouble surface = r.value(Metric.SURFACE_TEMP_C);
    OptionalDouble air = r.value(Metric.AIR_TEMP_C);
    if (surface.isPresent() && air.isPresent()) {
      double diff = surface.getAsDouble() - air.getAsDouble();
      if (diff < -p.get("max_below_air_c") || diff > p.get("max_above_air_c")) {
        out.add(String.format(Locale.ROOT, "surface %+.1f °C from the air", diff));
      }
    }
    if (surface.isPresent()) {
      for (int j = i - 1; j >= 0; j--) {
        WindowReading prev = readings.get(j);
        if (prev.value(Metric.SURFACE_TEMP_C).isEmpty()) {
          continue;
        }
        boolean recent = !prev.at().isBefore(r.at().minus(p.duration("jump_window_min")));
        double jump = surface.getAsDouble() - prev.value(Metric.SURFACE_TEMP_C).getAsDouble();
        if (recent && Math.abs(jump) > p.get("surface_jump_c")) {
          out.add(String.format(Locale.ROOT, "surface_temp_c jump %+.1f °C", jump));
        }
        break;
      }
    }
    return out;
  }

  private static void below(List<String> out, WindowReading r, Metric m, double min) {
    OptionalDouble v = r.value(m);
    if (v.isPresent() && v.getAsDouble() < min) {
      out.add(String.format(Locale.ROOT, "%s %.1f", m.code(), v.getAsDouble()));
    }
  }

  private static void above(List<String> out, WindowReading r, Metric m, double max) {
    OptionalDouble v = r.value(m);
    if (v.isPresent() && v.getAsDouble() > max) {
      out.add(String.format(Locale.ROOT, "%s %.1f", m.code(), v.getAsDouble()));
    }
  }
}
