package io.kerbside.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;

/**
 * One figure measured in each of the repeated runs of a step, in run order; NaN for a run that did
 * not measure it. Not thread-safe.
 */
public final class Runs {
  private final List<Double> values = new ArrayList<>();

  public void add(double value) {
    values.add(value);
  }

  public int size() {
    return values.size();
  }

  /**
   * The median of the measured runs (the mean of the middle two for an even count); NaN when none
   * was measured.
   */
  public double median() {
    double[] v =
        values.stream()
            .mapToDouble(Double::doubleValue)
            .filter(d -> !Double.isNaN(d))
            .sorted()
            .toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  /** The largest measured value; NaN when none. */
  public double max() {
    return values.stream()
        .mapToDouble(Double::doubleValue)
        .filter(d -> !Double.isNaN(d))
        .max()
        .orElse(Double.NaN);
  }

  /** The sum of the measured values; 0 when none. */
  public double sum() {
    return values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sum();
  }

  /**
   * E.g. {@code median 11,950 readings/s (runs: 12,001 / 11,950 / 11,230)}; a single run is written
   * alone.
   */
  public String describe(DoubleFunction<String> format) {
    if (values.size() == 1) {
      return format.apply(values.get(0));
    }
    return "median "
        + format.apply(median())
        + " (runs: "
        + values.stream().map(v -> format.apply(v)).collect(Collectors.joining(" / "))
        + ")";
  }

  @Override
  public String toString() {
    return Arrays.toString(values.toArray());
  }
}
