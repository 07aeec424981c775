package io.kerbside.ingest.store;

/**
 * One device's sequence number (native {@code seq}, LoRaWAN frame counter) as its readings arrive,
 * judged in reading-time order like {@code kerbside.sequence_gaps}: a step up by more than one is a
 * gap (messages lost), a step down in a later reading is a reset, and a late reading (older than
 * the newest seen) that carries one of the last 64 missing numbers fills its gap (recovered). Three
 * longs per device; not thread-safe.
 */
final class SequenceState {
  /** What one reading changed. */
  enum Change {
    NONE,
    GAP,
    RECOVERED,
    RESET
  }

  private static final int WINDOW = Long.SIZE;

  private long last = -1;
  private long lastAtMicros;

  /** Bit i set: number {@code last - 1 - i} was counted lost and has not arrived since. */
  private long missing;

  /**
   * Takes one reading's number into account.
   *
   * @param seq the reading's number, at least 0
   * @param atMicros the reading's time in microseconds since 1970
   */
  Change observe(long seq, long atMicros) {
    if (last < 0) {
      last = seq;
      lastAtMicros = atMicros;
      return Change.NONE;
    }
    if (atMicros > lastAtMicros) {
      long step = seq - last;
      last = seq;
      lastAtMicros = atMicros;
      if (step < 0) {
        missing = 0;
        return Change.RESET;
      }
      if (step <= 1) {
        missing = step == 1 ? missing << 1 : missing;
        return Change.NONE;
      }
      long gap = step - 1;
      long kept = step >= WINDOW ? 0 : missing << step;
      long fresh = gap >= WINDOW ? -1L : (1L << gap) - 1;
      missing = kept | fresh;
      return Change.GAP;
    }
    if (atMicros < lastAtMicros && seq < last) {
      long bit = last - 1 - seq;
      if (bit < WINDOW && (missing & (1L << bit)) != 0) {
        missing &= ~(1L << bit);
        return Change.RECOVERED;
      }
    }
    return Change.NONE;
  }

  /**
   * The newest number seen (in reading time), -1 before the first; a {@link Change#GAP} skipped the
   * numbers between the previous value and the new one.
   */
  long last() {
    return last;
  }
}
