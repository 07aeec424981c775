package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bin is full: its fill level is at or above {@code fill_pct} for {@code min_readings} readings
 * in a row (one reading over the line may be the sensor's noise around a level just under it). It
 * clears once the bin has been emptied below {@code clear_pct} (hysteresis, so a level hovering at
 * the threshold does not flap). A bin lying on its side (tilt at or above {@code max_tilt_deg})
 * reports a meaningless fill and is left to the knocked-over rule.
 */
public final class BinFullRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "bin-full",
          Set.of(DeviceKind.BIN),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.MAJOR,
          RuleParams.of(
              "fill_pct",
              85,
              "clear_pct",
              60,
              "max_tilt_deg",
              45,
              "min_readings",
              2,
              "history_h",
              2),
          "bin fill at or above fill_pct; clears below clear_pct");

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
    Optional<Sample> fill = in.window().latest(Metric.FILL_PCT);
    if (fill.isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    Optional<Sample> tilt = in.window().latest(Metric.TILT_DEG);
    if (tilt.isPresent() && tilt.get().value() >= in.params().get("max_tilt_deg")) {
      return Evaluation.unknown(in.asOf());
    }
    double pct = fill.get().value();
    double full = in.params().get("fill_pct");
    if (pct >= full
        && Series.newestInARow(
                Spacing.readings(in).stream()
                    .filter(r -> r.value(Metric.FILL_PCT).isPresent())
                    .toList(),
                r -> r.value(Metric.FILL_PCT).getAsDouble() >= full)
            < Series.count(in.params(), "min_readings")) {
      return Evaluation.unknown(in.asOf());
    }
    if (pct >= full) {
      return Evaluation.active(
          fill.get().at(),
          pct,
          String.format(Locale.ROOT, "bin %.0f %% full", pct),
          Map.of("fill_pct", pct));
    }
    if (pct < in.params().get("clear_pct")) {
      return Evaluation.clear(fill.get().at(), pct);
    }
    return Evaluation.unknown(in.asOf());
  }
}
