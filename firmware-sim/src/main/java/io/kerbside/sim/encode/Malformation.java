package io.kerbside.sim.encode;

import java.util.Locale;

/**
 * A way a device mangles a payload. Each has the reason Kerbside's decoder gives when it
 * dead-letters the result.
 */
public enum Malformation {
  /** The message is cut short mid-way (a lost tail). */
  TRUNCATED("malformed_json"),
  /** Firmware printing a debug line instead of JSON. */
  NOT_JSON("malformed_json"),
  /** One field written twice. */
  DUPLICATE_FIELD("malformed_json"),
  /** A metric written as a string. */
  WRONG_TYPE("wrong_type"),
  /** A timestamp in a local, offset-less format. */
  BAD_TIMESTAMP("bad_timestamp");

  private final String expectedReason;

  Malformation(String expectedReason) {
    this.expectedReason = expectedReason;
  }

  /** The rejection reason code Kerbside stores in {@code dead_letter.reason}. */
  public String expectedReason() {
    return expectedReason;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
