package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.alerts.Outcome;
import io.kerbside.analytics.rules.Evaluation;
import io.kerbside.analytics.rules.ReadingWindow;
import io.kerbside.analytics.rules.Rule;
import io.kerbside.analytics.rules.RuleInput;
import io.kerbside.analytics.rules.RuleParams;
import io.kerbside.analytics.rules.RuleSettings;
import io.kerbside.analytics.rules.Subject;
import io.kerbside.analytics.rules.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The enabled rules of one trigger, and how to run them on one subject. */
final class RulePlan {
  private static final Logger LOG = LoggerFactory.getLogger(RulePlan.class);

  private final RuleSettings settings;
  private final Trigger trigger;
  private final List<Rule> rules;

  RulePlan(RuleSettings settings, Trigger trigger) {
    this.settings = settings;
    this.trigger = trigger;
    this.rules =
        settings.enabledRules().stream().filter(r -> r.triggers().contains(trigger)).toList();
  }

  List<Rule> rules() {
    return rules;
  }

  boolean applies(Rule rule, Subject subject) {
    return rule.kinds().contains(subject.kind());
  }

  Duration lookback(Rule rule, Subject subject) {
    return rule.lookback(settings.params(rule, subject));
  }

  /** The longest history any rule of this plan needs for {@code subject}. */
  Duration maxLookback(Subject subject) {
    Duration max = Duration.ZERO;
    for (Rule r : rules) {
      if (applies(r, subject)) {
        Duration d = lookback(r, subject);
        if (d.compareTo(max) > 0) {
          max = d;
        }
      }
    }
    return max;
  }

  /**
   * Evaluates one rule on one subject as of {@code asOf}; a rule that throws is logged and counted
   * as not knowing, so one faulty rule cannot stop the others.
   */
  Optional<Outcome> evaluate(
      Rule rule,
      Subject subject,
      ReadingWindow window,
      Instant asOf,
      Optional<Instant> lastReadingAt) {
    RuleParams params = settings.params(rule, subject);
    Evaluation e;
    try {
      e =
          rule.evaluate(
              new RuleInput(
                  subject,
                  window.until(asOf, rule.lookback(params)),
                  params,
                  asOf,
                  trigger,
                  lastReadingAt));
    } catch (RuntimeException ex) {
      LOG.warn("rule {} failed on device {}", rule.code(), subject.deviceId(), ex);
      return Optional.empty();
    }
    if (e.state() == Evaluation.State.UNKNOWN) {
      return Optional.empty();
    }
    return Optional.of(new Outcome(subject, rule, settings.severity(rule), e));
  }
}
