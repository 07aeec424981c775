package io.kerbside.sim;

import java.util.Locale;

/**
 * Something that happens in the simulated town without being a fault, and that Kerbside may be
 * expected to notice; recorded in the ground truth next to the faults.
 */
public enum ConditionType {
  /** A bin was at or above 90 % full: from when it rose past it until it was emptied. */
  BIN_FULL,
  /** A bin was emptied by a collection round. */
  BIN_COLLECTED,
  /**
   * A bin stayed above 70 % full for more than 48 hours without being emptied (the rounds missed
   * it, or none was due): from the moment it became overdue until it was emptied.
   */
  BIN_NOT_COLLECTED,
  /**
   * A bin was full and rubbish kept coming that did not fit: from the moment it reached 100 % until
   * it was emptied (or the run ended), with the peak fill it would have had ({@code peak_fill_pct}:
   * what was brought to it since its last emptying, in percent of its capacity).
   */
  BIN_OVERFLOWING,
  /** A pothole formed: sudden jumps in a pavement's roughness (vibration) and crack width. */
  POTHOLE,
  /** A pavement's surface was at or below 0 degrees C while wet: ice. */
  SURFACE_ICE,
  /**
   * A pavement's surface was at or below +1 degrees C while wet, within its sensor's accuracy
   * (+1.2): what highway authorities grit for, whether or not it goes on to freeze.
   */
  WET_NEAR_FREEZING;

  /** The name used in ground-truth files and summaries, e.g. {@code surface-ice}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
