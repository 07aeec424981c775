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
 * A footway is getting rough or a pothole is forming. The level is the median vibration of the
 * newest {@code recent_readings} readings (one passing lorry does not count). It fires when the
 * level is at or above {@code vibration_g}, or when it has jumped to at least {@code jump_factor}
 * times, and at least {@code min_jump_g} above, the footway's usual peak: the 90th percentile of
 * the {@code baseline_h} before the recent readings. Comparing with the peak rather than the mean
 * keeps the daily swing of traffic (night is quieter) from looking like a jump.
 *
 * <p>Hysteresis: it clears on a whole day's evidence, never on a quiet hour: when the footway's
 * peak over the last {@code clear_window_h} (the 90th percentile, so the day's traffic is in it) is
 * below {@code clear_vibration_g} and no more than {@code clear_factor} times its usual peak over
 * the {@code baseline_h} before that (after a repair); otherwise UNKNOWN keeps the alert. Judged on
 * the newest readings alone, a pothole that reads over the threshold in the day's traffic would
 * read calm at night and be opened again every morning. Once a jump is older than {@code
 * clear_window_h} + {@code baseline_h} the new level has become the usual one, so the alert of a
 * pothole that stays below the absolute thresholds is resolved then and not raised again.
 */
public final class PavementRoughnessRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "pavement-roughness",
          Set.of(DeviceKind.PAVEMENT),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.MINOR,
          RuleParams.of(
              "vibration_g", 1.0,
              "clear_vibration_g", 0.8,
              "jump_factor", 1.5,
              "min_jump_g", 0.2,
              "clear_factor", 1.2,
              "recent_readings", 3,
              "baseline_h", 48,
              "clear_window_h", 24),
          "footway vibration at or above vibration_g, or jumping by jump_factor over its usual"
              + " peak");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("baseline_h").plus(params.duration("clear_window_h")).plusHours(1);
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    List<Sample> vib = Spacing.samples(in.window().series(Metric.VIBRATION_G), in.subject());
    int n = Series.count(p, "recent_readings");
    if (vib.size() < n) {
      return Evaluation.unknown(in.asOf());
    }
    List<Sample> recent = Series.last(vib, n);
    Instant recentFrom = recent.get(0).at();
    double level = Series.median(recent);
    List<Sample> baseline =
        Series.since(Series.before(vib, recentFrom), recentFrom.minus(p.duration("baseline_h")));
    double peak = Series.percentile(baseline, 90);
    Instant at = vib.get(vib.size() - 1).at();
    boolean jumped =
        !baseline.isEmpty()
            && level >= p.get("jump_factor") * peak
            && level - peak >= p.get("min_jump_g");
    if (level >= p.get("vibration_g") || jumped) {
      return Evaluation.active(
          at,
          level,
          jumped
              ? String.format(
                  Locale.ROOT,
                  "footway vibration up from %.2f g to %.2f g: pothole forming?",
                  peak,
                  level)
              : String.format(Locale.ROOT, "footway vibration %.2f g: surface rough", level),
          Map.of("vibration_g", level, "baseline_peak_g", baseline.isEmpty() ? level : peak));
    }
    Instant dayFrom = at.minus(p.duration("clear_window_h"));
    double dayPeak = Series.percentile(Series.since(vib, dayFrom), 90);
    List<Sample> before =
        Series.since(Series.before(vib, dayFrom), dayFrom.minus(p.duration("baseline_h")));
    boolean calm =
        dayPeak < p.get("clear_vibration_g")
            && (before.isEmpty()
                || dayPeak <= p.get("clear_factor") * Series.percentile(before, 90));
    return calm ? Evaluation.clear(at, level) : Evaluation.unknown(in.asOf());
  }
}
