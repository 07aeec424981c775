package io.kerbside.ingest.decode;

import io.kerbside.core.Metric;
import java.time.Instant;

/**
 * One decoded, validated reading.
 *
 * @param device the reporting device
 * @param at measurement time (the receive time when the device sent none)
 * @param seq the device's sequence number, or {@link #NO_SEQ}
 * @param values one slot per {@link Metric#ordinal()}, {@code NaN} where absent; flags are 0 or 1
 * @param extraJson unknown fields as a JSON object, or null when there were none
 */
public record Reading(DeviceKey device, Instant at, long seq, double[] values, String extraJson) {
  public static final long NO_SEQ = -1;

  public double value(Metric metric) {
    return values[metric.ordinal()];
  }

  public boolean has(Metric metric) {
    return !Double.isNaN(values[metric.ordinal()]);
  }
}
