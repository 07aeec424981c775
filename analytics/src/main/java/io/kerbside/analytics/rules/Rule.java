package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import java.time.Duration;
import java.util.Set;

/**
 * One maintenance rule: a pure function from a window of readings and its parameters to an {@link
 * Evaluation}. Rules hold no state between evaluations (the alert lifecycle does) and touch no
 * database, so each is unit-tested on windows of readings. Implementations are immutable and
 * thread-safe.
 */
public interface Rule {
  /**
   * Stable identifier used in configuration, the database, topics and the API: {@code bin-full}.
   */
  String code();

  /** The device kinds the rule applies to. */
  Set<DeviceKind> kinds();

  /** Whether its alerts are about the asset or the device. */
  Scope scope();

  /** When it is evaluated; most rules at each reading, some on the timer. */
  Set<Trigger> triggers();

  Severity defaultSeverity();

  /** The parameters and their defaults; configuration may override them per kind, ward, asset. */
  RuleParams defaults();

  /** How much history before the evaluation instant the rule needs (may depend on parameters). */
  Duration lookback(RuleParams params);

  /** True when a larger value is a worse condition (for the alert's peak value). */
  default boolean higherIsWorse() {
    return true;
  }

  /** One sentence for operators: what the rule detects. */
  String description();

  Evaluation evaluate(RuleInput input);
}
