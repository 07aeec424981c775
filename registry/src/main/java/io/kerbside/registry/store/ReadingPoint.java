package io.kerbside.registry.store;

import io.kerbside.core.Metric;
import java.time.Instant;
import java.util.Map;

/**
 * A reading, or the averages of a time bucket of readings.
 *
 * @param at the reading's time, or the start of the bucket
 * @param deviceId the device, or null for a bucket over all the asset's devices
 * @param count 1 for a reading, the number of readings in a bucket
 * @param values the metrics present (averages in a bucket); flags as 0/1 (in a bucket, the share of
 *     readings that were on)
 */
public record ReadingPoint(Instant at, String deviceId, long count, Map<Metric, Double> values) {
  public ReadingPoint {
    values = Map.copyOf(values);
  }
}
