package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A lamp cycles: an end-of-life lamp goes out and strikes again while it should stay lit. Counted
 * as on/off transitions between consecutive readings (the controller's {@code lamp_on}, or drawing
 * at least {@code lit_power_w} when the flag is not reported) within the last {@code window_min},
 * only between readings both taken while the sun was at or below {@code sun_altitude_deg}, so the
 * evening switch-on and morning switch-off do not count. It fires at {@code min_transitions}.
 *
 * <p>Hysteresis: it clears when the window holds at least {@code clear_readings} night readings
 * with no transition at all (the lamp stayed steady); one to {@code min_transitions} − 1
 * transitions, or too few night readings (daytime), are UNKNOWN and keep the alert.
 */
public final class LampCyclingRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "lamp-cycling",
          Set.of(DeviceKind.STREETLIGHT),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.MINOR,
          RuleParams.of(
              "window_min", 120,
              "min_transitions", 3,
              "clear_readings", 6,
              "sun_altitude_deg", -4,
              "lit_power_w", 5),
          "lamp switching on and off min_transitions times within window_min at night");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("window_min");
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    if (in.subject().asset().isEmpty() || in.window().isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    List<WindowReading> readings =
        Spacing.readings(
            in.window().until(in.asOf(), p.duration("window_min")).readings(), in.subject());
    int transitions = 0;
    int nightReadings = 0;
    Boolean before = null;
    for (WindowReading r : readings) {
      boolean night = Lamp.sunAltitudeDeg(in.subject(), r) <= p.get("sun_altitude_deg");
      Boolean lit = night ? Lamp.lit(r, p.get("lit_power_w")) : null;
      if (lit == null) {
        before = null;
        continue;
      }
      nightReadings++;
      if (before != null && !before.equals(lit)) {
        transitions++;
      }
      before = lit;
    }
    Instant at = readings.isEmpty() ? in.asOf() : readings.get(readings.size() - 1).at();
    if (transitions >= Series.count(p, "min_transitions")) {
      return Evaluation.active(
          at,
          transitions,
          String.format(
              Locale.ROOT,
              "lamp switched on or off %d times in %.0f min at night: cycling",
              transitions,
              p.get("window_min")),
          Map.of("transitions", transitions));
    }
    if (transitions == 0 && nightReadings >= Series.count(p, "clear_readings")) {
      return Evaluation.clear(at, 0);
    }
    return Evaluation.unknown(in.asOf());
  }
}
