package io.kerbside.sim;

/**
 * What one device sent during a run, counted by what Kerbside is expected to do with it.
 *
 * @param readings distinct readings that should be stored, each once (a duplicated reading counts
 *     once, a reading of a burst or sent out of order counts as any other)
 * @param duplicatesSent extra copies of readings already sent
 * @param malformedSent payloads Kerbside cannot decode (dead-lettered as {@code malformed_json},
 *     {@code wrong_type} or {@code bad_timestamp})
 * @param futureSent readings stamped hours ahead by a skewed clock (dead-lettered as {@code
 *     future_timestamp})
 * @param outOfRangeSent readings with a physically impossible value (dead-lettered as {@code
 *     out_of_range})
 * @param outOfRangePartlyStored of {@code outOfRangeSent}, those whose other values Kerbside stores
 *     as a reading, because the format rejects each value on its own (SenML); each is counted in
 *     {@code readings} too
 * @param failedSends messages that could not be published; when above 0, {@code readings} may
 *     exceed what Kerbside received
 * @param firstSeq the lowest sequence number among {@code readings} (the device numbers every
 *     report from 1, also those it never sends); 0 when there are none
 * @param lastSeq the highest; 0 when there are none
 */
public record DeviceTally(
    long readings,
    long duplicatesSent,
    long malformedSent,
    long futureSent,
    long outOfRangeSent,
    long outOfRangePartlyStored,
    long failedSends,
    long firstSeq,
    long lastSeq) {

  /** A tally of the four counts the first API had; the others are 0. */
  public DeviceTally(long readings, long duplicatesSent, long malformedSent, long futureSent) {
    this(readings, duplicatesSent, malformedSent, futureSent, 0, 0, 0, 0, 0);
  }

  /** A tally of a format that rejects a payload with an impossible value as a whole. */
  public DeviceTally(
      long readings,
      long duplicatesSent,
      long malformedSent,
      long futureSent,
      long outOfRangeSent,
      long failedSends) {
    this(readings, duplicatesSent, malformedSent, futureSent, outOfRangeSent, 0, failedSends, 0, 0);
  }

  /**
   * Sequence numbers between the first and the last stored reading that Kerbside never stores (the
   * device was offline, or the message was rejected): what {@code kerbside.sequence_gaps} should
   * count as lost for a format that carries the number (not SenML).
   */
  public long lostBetweenFirstAndLast() {
    return readings == 0 ? 0 : lastSeq - firstSeq + 1 - readings;
  }

  /** Messages Kerbside should dead-letter. */
  public long rejectedSent() {
    return malformedSent + futureSent + outOfRangeSent;
  }

  /** Every message this device published. */
  public long messagesSent() {
    return readings + duplicatesSent + rejectedSent() - outOfRangePartlyStored;
  }
}
