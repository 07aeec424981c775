package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A footway is a trip hazard: a crack or displacement of {@code crack_mm} or more (UK highway
 * inspection manuals treat 20 mm on a footway as actionable), or a sudden widening by {@code
 * jump_mm} or more within {@code jump_window_h} (a slab lifting or a pothole forming). The crack
 * gauge is noisy by a fraction of a millimetre, so the level compared is the median of the newest
 * {@code recent_readings} readings, the jump is measured from the lowest reading of the window.
 *
 * <p>Hysteresis: it clears when the level is below {@code clear_crack_mm} with no jump in the
 * window (a repair); otherwise UNKNOWN keeps the alert. A jump stays visible for {@code
 * jump_window_h}, after which a crack still below the clear level has been repaired or accepted.
 */
public final class TripHazardRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "trip-hazard",
          Set.of(DeviceKind.PAVEMENT),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.MAJOR,
          RuleParams.of(
              "crack_mm", 20,
              "clear_crack_mm", 15,
              "jump_mm", 5,
              "jump_window_h", 24,
              "recent_readings", 3),
          "crack or displacement at or above crack_mm, or widening by jump_mm within"
              + " jump_window_h");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("jump_window_h");
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    List<Sample> crack = Spacing.samples(in.window().series(Metric.CRACK_MM), in.subject());
    int n = Series.count(p, "recent_readings");
    if (crack.size() < n) {
      return Evaluation.unknown(in.asOf());
    }
    double level = Series.median(Series.last(crack, n));
    List<Sample> earlier = crack.subList(0, crack.size() - n);
    double low = earlier.stream().mapToDouble(Sample::value).min().orElse(level);
    double jump = level - low;
    Sample latest = crack.get(crack.size() - 1);
    if (level >= p.get("crack_mm") || jump >= p.get("jump_mm")) {
      return Evaluation.active(
          latest.at(),
          level,
          jump >= p.get("jump_mm")
              ? String.format(
                  Locale.ROOT, "crack widened by %.0f mm to %.0f mm: trip hazard", jump, level)
              : String.format(Locale.ROOT, "crack %.0f mm: trip hazard", level),
          Map.of("crack_mm", level, "jump_mm", jump));
    }
    if (level < p.get("clear_crack_mm") && jump < p.get("jump_mm")) {
      return Evaluation.clear(latest.at(), level);
    }
    return Evaluation.unknown(in.asOf());
  }
}
