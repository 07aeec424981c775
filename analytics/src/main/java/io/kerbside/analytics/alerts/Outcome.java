package io.kerbside.analytics.alerts;

import io.kerbside.analytics.rules.Evaluation;
import io.kerbside.analytics.rules.Rule;
import io.kerbside.analytics.rules.Severity;
import io.kerbside.analytics.rules.Subject;

/** One rule's evaluation of one subject, ready for the lifecycle. */
public record Outcome(Subject subject, Rule rule, Severity severity, Evaluation evaluation) {
  public String subjectKey() {
    return subject.key(rule.scope());
  }
}
