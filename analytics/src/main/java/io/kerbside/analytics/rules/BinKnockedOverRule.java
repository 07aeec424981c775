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
  @Override
  public String code() {
    return "bin-knocked-over";
  }

  @Override
  public Set<DeviceKind> kinds() {
    return Set.of(DeviceKind.BIN);
  }

  @Override
  public Scope scope() {
    return Scope.ASSET;
  }

  @Override
  public Set<Trigger> triggers() {
    return Set.of(Trigger.READING);
  }

  @Override
  public Severity defaultSeverity() {
    return Severity.MAJOR;
  }

  @Override
  public RuleParams defaults() {
    return RuleParams.of("tilt_deg", 45, "clear_tilt_deg", 20);
  }

  @Override
  public Duration lookback(RuleParams params) {
    return Duration.ZERO;
  }

  @Override
  public String description() {
    return "bin tilted at or above tilt_deg; clears when upright below clear_tilt_deg";
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
