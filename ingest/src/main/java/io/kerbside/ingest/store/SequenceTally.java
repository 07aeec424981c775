package io.kerbside.ingest.store;

import io.kerbside.core.DeviceKind;
import io.kerbside.ingest.decode.PayloadFormat;

/**
 * What the sequence numbers (native {@code seq}, LoRaWAN frame counters) of the readings of one
 * batch said, by payload format and device kind. Mutable, confined to the writer thread until its
 * batch's {@link WriteResult} is handed on.
 */
public final class SequenceTally {
  private static final int KINDS = DeviceKind.values().length;
  private static final int SLOTS = PayloadFormat.values().length * KINDS;

  private final long[] lost = new long[SLOTS];
  private final long[] recovered = new long[SLOTS];
  private final long[] resets = new long[SLOTS];

  /** Messages missing from a device's counter as its readings arrived. */
  public long lost(PayloadFormat format, DeviceKind kind) {
    return lost[slot(format, kind)];
  }

  /** Late readings that filled a gap already counted in {@link #lost}. */
  public long recovered(PayloadFormat format, DeviceKind kind) {
    return recovered[slot(format, kind)];
  }

  /** Counters that started again from a lower value (a reboot, a LoRaWAN rejoin). */
  public long resets(PayloadFormat format, DeviceKind kind) {
    return resets[slot(format, kind)];
  }

  /**
   * Counts one reading's change; {@code lostCount}, the numbers skipped, is read only for a {@link
   * SequenceState.Change#GAP}.
   */
  void add(PayloadFormat format, DeviceKind kind, SequenceState.Change change, long lostCount) {
    int s = slot(format, kind);
    switch (change) {
      case GAP -> lost[s] += lostCount;
      case RECOVERED -> recovered[s]++;
      case RESET -> resets[s]++;
      case NONE -> {}
    }
  }

  void addAll(SequenceTally other) {
    for (int i = 0; i < SLOTS; i++) {
      lost[i] += other.lost[i];
      recovered[i] += other.recovered[i];
      resets[i] += other.resets[i];
    }
  }

  private static int slot(PayloadFormat format, DeviceKind kind) {
    return format.ordinal() * KINDS + kind.ordinal();
  }
}
