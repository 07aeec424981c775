package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a rule is, apart from how it evaluates: its code, the device kinds it applies to, its scope,
 * when it runs, its default severity, its parameters with their defaults and one sentence for
 * operators. Immutable; the sets are copied and iterate in enum order.
 *
 * @param code stable identifier used in configuration, the database, topics and the API: {@code
 *     bin-full}
 * @param kinds the device kinds the rule applies to; not empty
 * @param scope whether its alerts are about the asset or the device
 * @param triggers when it is evaluated; not empty
 * @param defaultSeverity the severity of its alerts unless configuration says otherwise
 * @param defaults the parameters and their defaults
 * @param description one sentence for operators: what the rule detects
 * @throws IllegalArgumentException if the code or description is blank, or a set is empty
 */
public record RuleDefinition(
    String code,
    Set<DeviceKind> kinds,
    Scope scope,
    Set<Trigger> triggers,
    Severity defaultSeverity,
    RuleParams defaults,
    String description) {

  public RuleDefinition {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(kinds, "kinds");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(triggers, "triggers");
    Objects.requireNonNull(defaultSeverity, "defaultSeverity");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(description, "description");
    if (code.isBlank()) {
      throw new IllegalArgumentException("a rule needs a code");
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException(code + " applies to no device kind");
    }
    if (triggers.isEmpty()) {
      throw new IllegalArgumentException(code + " has no trigger");
    }
    if (description.isBlank()) {
      throw new IllegalArgumentException(code + " needs a description");
    }
    kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    triggers = Collections.unmodifiableSet(EnumSet.copyOf(triggers));
  }
}
