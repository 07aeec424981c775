package io.kerbside.analytics.rules;

import java.time.Instant;

/**
 * Everything a rule may look at: the subject, its readings up to {@code asOf} (at most the rule's
 * lookback), the parameters resolved for this subject, and why it is evaluated.
 *
 * @param asOf the evaluation instant: the newest reading's time for {@link Trigger#READING}, the
 *     wall clock for {@link Trigger#SCHEDULE}
 * @param lastReadingAt the newest stored reading of the device, whatever the window holds
 */
public record RuleInput(
    Subject subject,
    ReadingWindow window,
    RuleParams params,
    Instant asOf,
    Trigger trigger,
    java.util.Optional<Instant> lastReadingAt) {}
