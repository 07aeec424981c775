package io.kerbside.sim.fault;

import java.time.Instant;
import java.util.Objects;

/**
 * What a scenario's plan says one of Kerbside's rules must catch: an alert of {@code rule} on the
 * device (or its asset) observed between {@code from} and {@code until}.
 *
 * @param rule the rule's code, e.g. {@code bin-predicted-full}
 * @param device index of the device in the town
 * @param from when the condition can first be seen
 * @param until when it ends (or the run does)
 * @param why what was planned, in a few words
 */
public record RuleExpectation(String rule, int device, Instant from, Instant until, String why) {
  public RuleExpectation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(why, "why");
    if (until.isBefore(from)) {
      throw new IllegalArgumentException(
          "expectation ends before it begins: " + from + " > " + until);
    }
  }
}
