package io.kerbside.analytics.rules;

/** When a rule is evaluated. */
public enum Trigger {
  /** At every newly stored reading of the device, as of that reading's time. */
  READING,
  /**
   * On the evaluation cycle's timer, as of the wall clock (for conditions that need no new
   * reading).
   */
  SCHEDULE
}
