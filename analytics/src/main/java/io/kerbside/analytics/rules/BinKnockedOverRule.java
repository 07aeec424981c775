package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bin has been knocked over: its tilt is at or above {@code tilt_deg} (upright bins lean a few
 * degrees). Hysteresis: it clears once the bin stands below {@code clear_tilt_deg} again; a lean in
 * between is UNKNOWN and keeps the alert as it is.
 */
public final class BinKnockedOverRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "bin-knocked-over",
          Set.of(DeviceKind.BIN),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.MAJOR,
          RuleParams.of("tilt_deg", 45, "clear_tilt_deg", 20),
          "bin tilted at or above tilt_deg; clears when upright below clear_tilt_deg");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return Duration.ZERO;
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    Optional<Sample> tilt = in.window().latest(Metric.TILT_DEG);
    if (tilt.isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    double deg = tilt.get().value();
    if (deg >= in.params().get("tilt_deg")) {
      return Evaluation.active(
          tilt.get().at(),
          deg,
          String.format(Locale.ROOT, "bin tilted %.0f°: knocked over", deg),
          Map.of("tilt_deg", deg));
    }
    if (deg < in.params().get("clear_tilt_deg")) {
      return Evaluation.clear(tilt.get().at(), deg);
    }
    return Evaluation.unknown(in.asOf());
  }
}
