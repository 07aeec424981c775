/**
 * The maintenance rules: one class per rule behind {@link io.kerbside.analytics.rules.Rule}, all
 * listed in {@link io.kerbside.analytics.rules.RuleCatalog} and configured through {@link
 * io.kerbside.analytics.rules.RuleSettings}.
 *
 * <p>Every rule is a pure function of its {@link io.kerbside.analytics.rules.RuleInput}: it keeps
 * no state between calls, reads no clock (the evaluation instant is {@code asOf}), does no I/O, and
 * is immutable and safe to call from any number of threads. Each rule's class comment states what
 * it detects, the units of its value and its hysteresis: the threshold that raises, the one that
 * clears, and the band between them where it answers UNKNOWN and the alert keeps its state. The
 * full table is in {@code docs/rules.md}.
 */
package io.kerbside.analytics.rules;
