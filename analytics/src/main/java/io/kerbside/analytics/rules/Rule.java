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
  /** What the rule is: code, kinds, scope, triggers, default severity, parameters, description. */
  RuleDefinition definition();

  /**
   * Stable identifier used in configuration, the database, topics and the API: {@code bin-full}.
   */
  default String code() {
    return definition().code();
  }

  /** The device kinds the rule applies to. */
  default Set<DeviceKind> kinds() {
    return definition().kinds();
  }

  /** Whether its alerts are about the asset or the device. */
  default Scope scope() {
    return definition().scope();
  }

  /** When it is evaluated; most rules at each reading, some on the timer. */
  default Set<Trigger> triggers() {
    return definition().triggers();
  }

  default Severity defaultSeverity() {
    return definition().defaultSeverity();
  }

  /** The parameters and their defaults; configuration may override them per kind, ward, asset. */
  default RuleParams defaults() {
    return definition().defaults();
  }

  /** How much history before the evaluation instant the rule needs (may depend on parameters). */
  Duration lookback(RuleParams params);

  /** True when a larger value is a worse condition (for the alert's peak value). */
  default boolean higherIsWorse() {
    return true;
  }

  /** One sentence for operators: what the rule detects. */
  default String description() {
    return definition().description();
  }

  Evaluation evaluate(RuleInput input);
}
