package io.kerbside.bench.metrics;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Quantiles of what a Prometheus histogram recorded between two scrapes, from the difference of its
 * cumulative bucket counts, interpolating linearly inside the bucket that holds the quantile (as
 * PromQL's {@code histogram_quantile} does).
 */
public final class HistogramQuantiles {
  private final NavigableMap<Double, Double> cumulative;
  private final double total;

  private HistogramQuantiles(NavigableMap<Double, Double> cumulative) {
    this.cumulative = cumulative;
    this.total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
  }

  /**
   * The observations made between {@code before} and {@code after}, two scrapes of the same
   * histogram's cumulative buckets keyed by upper bound (see {@link PrometheusScrape#buckets}).
   */
  public static HistogramQuantiles between(
      NavigableMap<Double, Double> before, NavigableMap<Double, Double> after) {
    NavigableMap<Double, Double> delta = new TreeMap<>();
    for (Map.Entry<Double, Double> e : after.entrySet()) {
      delta.put(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0));
    }
    return new HistogramQuantiles(delta);
  }

  /** Number of observations in the interval. */
  public double count() {
    return total;
  }

  /**
   * The {@code q} quantile, in the histogram's unit; NaN when nothing was observed. A quantile in
   * the {@code +Inf} bucket is reported as the highest finite bound (it is at least that).
   *
   * @param q between 0 and 1
   */
  public double quantile(double q) {
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("q must be between 0 and 1, got " + q);
    }
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      double bound = e.getKey();
      double count = e.getValue();
      if (count >= rank && count > lowerCount) {
        if (Double.isInfinite(bound)) {
          return lowerBound;
        }
        return lowerBound + (bound - lowerBound) * (rank - lowerCount) / (count - lowerCount);
      }
      lowerBound = bound;
      lowerCount = count;
    }
    return lowerBound;
  }
}
