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
 * @param fillFromDistance true when {@code fill_pct} was derived from {@code distance_mm} with a
 *     device profile's bin depth, so the depth the registry knows for the device's bin replaces it
 */
public record Reading(
    DeviceKey device,
    Instant at,
    long seq,
    double[] values,
    String extraJson,
    boolean fillFromDistance) {
  public static final long NO_SEQ = -1;

  /** A reading whose values are all as the device reported them. */
  public Reading(DeviceKey device, Instant at, long seq, double[] values, String extraJson) {
    this(device, at, seq, values, extraJson, false);
  }

  /** This reading with {@code fill_pct} derived again from its distance with {@code depthMm}. */
  public Reading withBinDepth(double depthMm) {
    double[] copy = values.clone();
    copy[Metric.FILL_PCT.ordinal()] =
        BinFill.percent(depthMm, values[Metric.DISTANCE_MM.ordinal()]);
    return new Reading(device, at, seq, copy, extraJson, fillFromDistance);
  }

  public double value(Metric metric) {
    return values[metric.ordinal()];
  }

  public boolean has(Metric metric) {
    return !Double.isNaN(values[metric.ordinal()]);
  }
}
