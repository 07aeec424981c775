package io.kerbside.sim.model;

import io.kerbside.core.Metric;
import io.kerbside.sim.town.Asset;
import java.time.Instant;
import java.util.Arrays;

/**
 * One reading a simulated device reports, before it is encoded for the wire.
 *
 * @param asset the device's asset
 * @param at when the reading was taken (by the device's clock)
 * @param seq the device's reading counter, from 1
 * @param values indexed by {@link Metric#ordinal()}; {@code NaN} for a metric not reported; {@code
 *     lamp_on} as 1 or 0. Owned by the reading: do not change it after construction.
 */
public record SimReading(Asset asset, Instant at, long seq, double[] values) {

  /** A values array with nothing reported. */
  public static double[] blankValues() {
    double[] v = new double[Metric.values().length];
    Arrays.fill(v, Double.NaN);
    return v;
  }

  /** Sets {@code metric} in {@code values} to {@code value} clamped to the metric's range. */
  public static void put(double[] values, Metric metric, double value) {
    values[metric.ordinal()] = Math.max(metric.min(), Math.min(metric.max(), value));
  }

  /** The value of {@code metric}, {@code NaN} when not reported. */
  public double value(Metric metric) {
    return values[metric.ordinal()];
  }

  /** The same reading stamped {@code newAt} (a device whose clock is wrong). */
  public SimReading withAt(Instant newAt) {
    return new SimReading(asset, newAt, seq, values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimReading r
        && asset.equals(r.asset)
        && at.equals(r.at)
        && seq == r.seq
        && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return (asset.deviceId().hashCode() * 31 + at.hashCode()) * 31 + Long.hashCode(seq);
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("SimReading[")
            .append(asset.deviceId())
            .append(' ')
            .append(at)
            .append(" seq=")
            .append(seq);
    for (Metric m : Metric.values()) {
      if (!Double.isNaN(values[m.ordinal()])) {
        sb.append(' ').append(m.code()).append('=').append(values[m.ordinal()]);
      }
    }
    return sb.append(']').toString();
  }
}
