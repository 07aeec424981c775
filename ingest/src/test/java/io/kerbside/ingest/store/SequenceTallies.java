package io.kerbside.ingest.store;

import io.kerbside.core.DeviceKind;
import io.kerbside.ingest.decode.PayloadFormat;

/** Tallies made in tests outside this package. */
public final class SequenceTallies {
  private SequenceTallies() {}

  public static SequenceTally of(
      PayloadFormat format, DeviceKind kind, long lost, long recovered, long resets) {
    SequenceTally t = new SequenceTally();
    t.add(format, kind, SequenceState.Change.GAP, lost);
    for (int i = 0; i < recovered; i++) {
      t.add(format, kind, SequenceState.Change.RECOVERED, 0);
    }
    for (int i = 0; i < resets; i++) {
      t.add(format, kind, SequenceState.Change.RESET, 0);
    }
    return t;
  }
}
