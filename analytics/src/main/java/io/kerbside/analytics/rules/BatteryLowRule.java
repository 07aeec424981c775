package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A device's battery is running down: its newest {@code min_readings} battery readings are all
 * below {@code battery_v}. Sustained, because the cell reads a few millivolts lower for each degree
 * of cold and sags under a radio burst. Streetlights are mains powered and are not checked. The
 * value is the newest voltage (lower is worse).
 *
 * <p>Hysteresis: it clears when the newest {@code min_readings} readings are all at or above {@code
 * clear_battery_v} (a fresh battery); anything between is UNKNOWN and keeps the alert.
 */
public final class BatteryLowRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "battery-low",
          Set.of(DeviceKind.BIN, DeviceKind.PAVEMENT),
          Scope.DEVICE,
          Set.of(Trigger.READING),
          Severity.MINOR,
          RuleParams.of("battery_v", 3.3, "clear_battery_v", 3.45, "min_readings", 3),
          "battery below battery_v for min_readings readings in a row");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return Duration.ofHours(24);
  }

  @Override
  public boolean higherIsWorse() {
    return false;
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    List<Sample> volts = Spacing.samples(in.window().series(Metric.BATTERY_V), in.subject());
    int n = Series.count(p, "min_readings");
    if (volts.size() < n) {
      return Evaluation.unknown(in.asOf());
    }
    List<Sample> last = Series.last(volts, n);
    Sample latest = last.get(n - 1);
    if (last.stream().allMatch(s -> s.value() < p.get("battery_v"))) {
      return Evaluation.active(
          latest.at(),
          latest.value(),
          String.format(Locale.ROOT, "battery at %.2f V: replace", latest.value()),
          Map.of("battery_v", latest.value()));
    }
    if (last.stream().allMatch(s -> s.value() >= p.get("clear_battery_v"))) {
      return Evaluation.clear(latest.at(), latest.value());
    }
    return Evaluation.unknown(in.asOf());
  }
}
