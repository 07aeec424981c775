package io.kerbside.sim.load;

import io.kerbside.core.DeviceId;
import io.kerbside.core.DeviceKind;

/**
 * The devices of one load run and the state of what each has sent: its last {@code seq} and its
 * last timestamp. A device's readings get {@code seq} 1, 2, 3... and strictly increasing
 * timestamps, because {@code (device, ts)} is a reading's identity in Kerbside: two readings of one
 * device with the same timestamp would be stored once.
 *
 * <p>Not thread-safe for one device: each device index is advanced by one thread at a time.
 * Distinct devices may be advanced concurrently.
 */
final class SimulatedFleet {
  private static final int ID_DIGITS = 5;

  private final DeviceKind kind;
  private final String[] deviceIds;
  private final String[] topics;
  private final long[] lastTimestampMs;
  private final long[] lastSeq;

  SimulatedFleet(DeviceKind kind, String topicPrefix, String deviceIdPrefix, int devices) {
    if (devices < 1) {
      throw new IllegalArgumentException("devices must be at least 1, got " + devices);
    }
    this.kind = kind;
    this.deviceIds = new String[devices];
    this.topics = new String[devices];
    for (int d = 0; d < devices; d++) {
      String id = deviceId(deviceIdPrefix, d);
      if (!DeviceId.isValid(id)) {
        throw new IllegalArgumentException(
            "device id prefix '" + deviceIdPrefix + "' gives the invalid device id '" + id + "'");
      }
      deviceIds[d] = id;
      topics[d] = topicPrefix + "/" + kind.code() + "/" + id;
    }
    this.lastTimestampMs = new long[devices];
    this.lastSeq = new long[devices];
  }

  /**
   * {@code prefix} followed by {@code index} with at least five digits: {@code bench-bin-00042}.
   */
  static String deviceId(String prefix, int index) {
    String digits = Integer.toString(index);
    StringBuilder sb = new StringBuilder(prefix.length() + Math.max(ID_DIGITS, digits.length()));
    sb.append(prefix);
    for (int i = digits.length(); i < ID_DIGITS; i++) {
      sb.append('0');
    }
    return sb.append(digits).toString();
  }

  /**
   * How many of {@code total} readings spread round-robin over {@code devices} devices fall to
   * device {@code index}: reading {@code r} goes to device {@code r % devices}.
   */
  static long readingsFor(int index, int devices, long total) {
    return total / devices + (index < total % devices ? 1 : 0);
  }

  DeviceKind kind() {
    return kind;
  }

  int size() {
    return deviceIds.length;
  }

  String deviceId(int device) {
    return deviceIds[device];
  }

  String topic(int device) {
    return topics[device];
  }

  /**
   * Starts the next reading of {@code device}: its {@code seq} is one more than the last and its
   * timestamp is {@code nowMs}, or one millisecond after the last when the clock has not moved on.
   *
   * @return the new reading's timestamp in epoch milliseconds; its seq is {@link #lastSeq}
   */
  long advance(int device, long nowMs) {
    long ts = lastSeq[device] == 0 ? nowMs : Math.max(nowMs, lastTimestampMs[device] + 1);
    lastTimestampMs[device] = ts;
    lastSeq[device]++;
    return ts;
  }

  /** The {@code seq} of the device's latest reading; 0 before its first. */
  long lastSeq(int device) {
    return lastSeq[device];
  }

  /** The timestamp of the device's latest reading in epoch milliseconds. */
  long lastTimestampMs(int device) {
    return lastTimestampMs[device];
  }
}
