package io.kerbside.analytics.rules;

import java.time.Instant;

/**
 * Everything a rule may look at: the subject, its readings up to {@code asOf} (at most the rule's
 * lookback), the parameters resolved for this subject, and why it is evaluated.
 *
 * @param asOf the evaluation instant: the newest reading's time for {@link Trigger#READING}, the
 *     council's stream clock for {@link Trigger#SCHEDULE} (the wall clock, or the newest reading
 *     time evaluated in the council if that is earlier, so a backlog being worked through is not
 *     taken for silence)
 * @param lastReadingAt the device's newest stored reading time, whatever the window holds
 */
public record RuleInput(
    Subject subject,
    ReadingWindow window,
    RuleParams params,
    Instant asOf,
    Trigger trigger,
    java.util.Optional<Instant> lastReadingAt) {}
