package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A lamp burns by day: it is lit (the controller reports it on, or it draws at least {@code
 * lit_power_pct} of its rated power, {@code lit_power_w} when the rating is unknown) while the sun
 * at the lamp stands at or above {@code sun_altitude_deg}, for {@code min_readings} readings in a
 * row (one daytime reading may be a crew testing the lamp). The margin above the horizon leaves
 * room for photocells, which switch on up to 15 minutes after sunset and off as long before
 * sunrise, and for dark overcast. The value is how long, in hours, the lamp has been seen lit by
 * day.
 *
 * <p>Hysteresis: it clears when the lamp is seen off while the sun is up; at night and in twilight
 * (the sun below {@code sun_altitude_deg}) it is UNKNOWN, a lit lamp being then expected, so the
 * alert stays open until the next day shows the lamp off.
 */
public final class DayBurnerRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "day-burner",
          Set.of(DeviceKind.STREETLIGHT),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.MINOR,
          RuleParams.of(
              "sun_altitude_deg", 3,
              "lit_power_pct", 20,
              "lit_power_w", 5,
              "min_readings", 2,
              "history_h", 2),
          "lamp lit while the sun is at or above sun_altitude_deg");

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
    RuleParams p = in.params();
    List<WindowReading> readings = Spacing.readings(in);
    if (readings.isEmpty() || in.subject().asset().isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    WindowReading latest = readings.get(readings.size() - 1);
    double sun = Lamp.sunAltitudeDeg(in.subject(), latest);
    Boolean lit = lit(in.subject(), latest, p);
    if (lit == null || sun < p.get("sun_altitude_deg")) {
      return Evaluation.unknown(in.asOf());
    }
    double power = latest.value(Metric.POWER_W).orElse(Double.NaN);
    if (!lit) {
      return Evaluation.clear(latest.at(), power);
    }
    // Written as "not below" so an unknown sun position (NaN) does not end the run.
    int inDaylight =
        Series.newestInARow(
            readings,
            r ->
                Boolean.TRUE.equals(lit(in.subject(), r, p))
                    && !(Lamp.sunAltitudeDeg(in.subject(), r) < p.get("sun_altitude_deg")));
    if (inDaylight < Series.count(p, "min_readings")) {
      return Evaluation.unknown(in.asOf());
    }
    double hours = Series.hours(readings.get(readings.size() - inDaylight).at(), latest.at());
    return Evaluation.active(
        latest.at(),
        hours,
        String.format(Locale.ROOT, "lamp lit in daylight (sun %.0f° up)", sun),
        Map.of("sun_altitude_deg", sun, "power_w", power));
  }

  /**
   * Lit by the controller's flag, or by drawing power that the current confirms (a lamp whose
   * controller misreports; see {@link Lamp#powerW}).
   */
  private static Boolean lit(Subject subject, WindowReading r, RuleParams p) {
    double litW = Lamp.minimumLitPowerW(subject, r, p.get("lit_power_pct"), p.get("lit_power_w"));
    Boolean flag = Lamp.lit(r, litW);
    if (Boolean.FALSE.equals(flag) && Lamp.powerW(r).orElse(0) >= litW) {
      return true;
    }
    return flag;
  }
}
