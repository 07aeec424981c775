package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A footway may ice: there is moisture on it ({@code moisture_pct} or more, or a water film of
 * {@code water_film_mm} or more) and its surface is at or below {@code surface_temp_c}, or its
 * surface temperature, fitted by least squares over the last {@code trend_h}, falls fast enough to
 * reach that from the fitted line's level now within {@code horizon_h} (UK highway authorities grit
 * on this basis: a forecast road surface temperature at or below +1 °C on a wet road). A predicted
 * crossing is given as {@link Evaluation#predictedAt()}; the value is the surface temperature
 * (lower is worse). A surface cools until the sun rises, so a fall that would reach the threshold
 * only after the next sunrise at the asset, or made in the morning while the sun climbs, is no
 * prediction (a wet dawn at +1.5 °C bottoms out about then; it is judged on its readings).
 *
 * <p>Hysteresis: it clears when the surface is above {@code clear_surface_temp_c} and not falling
 * to the threshold within the horizon, or when the surface has dried (moisture below {@code
 * clear_moisture_pct} and film below {@code clear_water_film_mm}); anything between is UNKNOWN and
 * keeps the alert.
 */
public final class IceRiskRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "ice-risk",
          Set.of(DeviceKind.PAVEMENT),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.CRITICAL,
          RuleParams.of(
              "surface_temp_c", 1,
              "moisture_pct", 60,
              "water_film_mm", 0.05,
              "horizon_h", 3,
              "trend_h", 2,
              "min_points", 4,
              "clear_surface_temp_c", 3,
              "clear_moisture_pct", 40,
              "clear_water_film_mm", 0.02),
          "wet surface at or below surface_temp_c, or falling to it within horizon_h");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("trend_h");
  }

  @Override
  public boolean higherIsWorse() {
    return false;
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    WindowReading latest = in.window().latest().orElse(null);
    if (latest == null || latest.value(Metric.SURFACE_TEMP_C).isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    if (latest.value(Metric.MOISTURE_PCT).isEmpty()
        && latest.value(Metric.WATER_FILM_MM).isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    double surface = latest.value(Metric.SURFACE_TEMP_C).getAsDouble();
    double moisture = latest.value(Metric.MOISTURE_PCT).orElse(0);
    double film = latest.value(Metric.WATER_FILM_MM).orElse(0);
    boolean wet = moisture >= p.get("moisture_pct") || film >= p.get("water_film_mm");
    boolean dry = moisture < p.get("clear_moisture_pct") && film < p.get("clear_water_film_mm");

    Instant crossing = null;
    if (surface > p.get("surface_temp_c")) {
      List<Sample> trend =
          Series.since(
              Spacing.samples(in.window().series(Metric.SURFACE_TEMP_C), in.subject()),
              latest.at().minus(p.duration("trend_h")));
      double slope = Series.slopePerHour(trend);
      if (trend.size() >= Series.count(p, "min_points") && slope < 0) {
        // from the trend's level now, not the newest reading: one low reading is not a fall
        double level = Series.fittedAt(trend, latest.at());
        double hours = Math.max(0, (level - p.get("surface_temp_c")) / -slope);
        Instant at = latest.at().plusMillis(Math.round(hours * 3_600_000));
        if (hours <= p.get("horizon_h") && !warmingAhead(in.subject(), latest.at(), at)) {
          crossing = at;
        }
      }
    }
    boolean cold = surface <= p.get("surface_temp_c");
    if (wet && (cold || crossing != null)) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("surface_temp_c", surface);
      details.put("moisture_pct", moisture);
      details.put("water_film_mm", film);
      Evaluation e =
          Evaluation.active(
              latest.at(),
              surface,
              cold
                  ? String.format(Locale.ROOT, "wet footway at %.1f °C: ice risk, grit", surface)
                  : String.format(
                      Locale.ROOT,
                      "wet footway at %.1f °C falling to %.0f °C by %s: grit",
                      surface,
                      p.get("surface_temp_c"),
                      crossing),
              details);
      return crossing == null ? e : e.withPrediction(crossing);
    }
    if (dry || (surface > p.get("clear_surface_temp_c") && crossing == null)) {
      return Evaluation.clear(latest.at(), surface);
    }
    return Evaluation.unknown(in.asOf());
  }

  /**
   * True when the sun rises between {@code from} and {@code to} (less than a day later), or is up
   * and still climbing at {@code from}: the morning, when surfaces warm.
   */
  private static boolean warmingAhead(Subject subject, Instant from, Instant to) {
    OptionalDouble now = SunClock.altitudeDeg(subject, from);
    OptionalDouble then = SunClock.altitudeDeg(subject, to);
    OptionalDouble anHourOn = SunClock.altitudeDeg(subject, from.plus(Duration.ofHours(1)));
    if (now.isEmpty() || then.isEmpty() || anHourOn.isEmpty()) {
      return false;
    }
    boolean up = now.getAsDouble() >= SunClock.SUNRISE_ALTITUDE_DEG;
    boolean rises = !up && then.getAsDouble() >= SunClock.SUNRISE_ALTITUDE_DEG;
    boolean climbing = up && anHourOn.getAsDouble() > now.getAsDouble();
    return rises || climbing;
  }
}
