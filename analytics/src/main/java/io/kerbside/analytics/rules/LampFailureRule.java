package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A lamp that should be lit gives no light. It should be lit when the sun at the lamp is at or
 * below {@code sun_altitude_deg} (well below the horizon: a photocell switches up to 15 minutes
 * after sunset, when the sun is at most about −3° at UK latitudes). It gives no light when it draws
 * less than {@code min_power_pct} of its rated power at the reported dimming level, or less than
 * {@code min_power_w} when the rating is unknown. A power reading that the reading's own voltage
 * and current contradict is a meter fault and is not used ({@link Lamp#powerW}).
 *
 * <p>It fires after {@code min_readings} such readings in a row while the controller reports the
 * lamp on (a failed lamp or gear); a lamp reported off all through the night (a failed photocell or
 * controller) needs {@code dark_readings} in a row, so a cycling lamp's short dark spells are left
 * to {@code lamp-cycling}. A lamp without a located asset cannot be judged (UNKNOWN).
 *
 * <p>Hysteresis: it clears only when the lamp is seen lit, drawing at least {@code clear_power_pct}
 * of its expected power, at any time of day; by day a failed lamp is UNKNOWN and its alert stays
 * open until the next night shows it mended.
 */
public final class LampFailureRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "lamp-failure",
          Set.of(DeviceKind.STREETLIGHT),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.MAJOR,
          RuleParams.of(
              "sun_altitude_deg", -4,
              "min_power_pct", 20,
              "min_power_w", 5,
              "clear_power_pct", 50,
              "min_readings", 2,
              "dark_readings", 6,
              "history_h", 2),
          "lamp draws less than min_power_pct of its rated power while the sun is below"
              + " sun_altitude_deg");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("history_h");
  }

  @Override
  public boolean higherIsWorse() {
    return false;
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    List<WindowReading> readings = Spacing.readings(in);
    if (readings.isEmpty() || in.subject().asset().isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    WindowReading latest = readings.get(readings.size() - 1);
    OptionalDouble power = Lamp.powerW(latest);
    if (power.isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    double clearW =
        Lamp.minimumLitPowerW(in.subject(), latest, p.get("clear_power_pct"), p.get("min_power_w"));
    if (power.getAsDouble() >= clearW) {
      return Evaluation.clear(latest.at(), power.getAsDouble());
    }
    int failing = Series.newestInARow(readings, r -> failsAtNight(in.subject(), r, p));
    boolean reportedOff =
        readings.subList(readings.size() - failing, readings.size()).stream()
            .anyMatch(r -> r.value(Metric.LAMP_ON).orElse(1) < 0.5);
    int needed = Series.count(p, reportedOff ? "dark_readings" : "min_readings");
    if (failing >= needed) {
      double w = power.getAsDouble();
      return Evaluation.active(
          latest.at(),
          w,
          String.format(
              Locale.ROOT,
              reportedOff
                  ? "lamp off at night, drawing %.1f W: photocell or controller failed"
                  : "lamp switched on at night but drawing only %.1f W: lamp failed",
              w),
          Map.of(
              "power_w",
              w,
              "sun_altitude_deg",
              Lamp.sunAltitudeDeg(in.subject(), latest),
              "reported_off",
              reportedOff));
    }
    return Evaluation.unknown(in.asOf());
  }

  private static boolean failsAtNight(Subject subject, WindowReading r, RuleParams p) {
    OptionalDouble power = Lamp.powerW(r);
    if (power.isEmpty()) {
      return false;
    }
    double minW = Lamp.minimumLitPowerW(subject, r, p.get("min_power_pct"), p.get("min_power_w"));
    return power.getAsDouble() < minW
        && Lamp.sunAltitudeDeg(subject, r) <= p.get("sun_altitude_deg");
  }
}
