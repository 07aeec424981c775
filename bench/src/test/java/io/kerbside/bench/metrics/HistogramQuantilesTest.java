package io.kerbside.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HistogramQuantilesTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void interpolatesInsideTheBucketHoldingTheQuantile() {
    NavigableMap<Double, Double> after = buckets(0.01, 0, 0.1, 50, 1.0, 100, INF, 100);

    HistogramQuantiles q = HistogramQuantiles.between(new TreeMap<>(), after);

    assertThat(q.count()).isEqualTo(100);
    // Rank 50 is the last observation of (0.01, 0.1]: its upper bound.
    assertThat(q.quantile(0.5)).isCloseTo(0.1, within(1e-9));
    // Rank 25 is halfway through (0.01, 0.1].
    assertThat(q.quantile(0.25)).isCloseTo(0.055, within(1e-9));
    // Rank 99 is 49/50 of the way through (0.1, 1.0].
    assertThat(q.quantile(0.99)).isCloseTo(0.1 + 0.9 * 49 / 50, within(1e-9));
  }

  @Test
  void countsOnlyWhatWasObservedBetweenTheTwoScrapes() {
    NavigableMap<Double, Double> before = buckets(0.01, 1_000, 0.1, 1_000, 1.0, 1_000, INF, 1_000);
    NavigableMap<Double, Double> after = buckets(0.01, 1_000, 0.1, 1_010, 1.0, 1_010, INF, 1_010);

    HistogramQuantiles q = HistogramQuantiles.between(before, after);

    assertThat(q.count()).isEqualTo(10);
    assertThat(q.quantile(0.99)).isBetween(0.01, 0.1);
  }

  @Test
  void reportsTheHighestFiniteBoundForAQuantileInTheOverflowBucket() {
    NavigableMap<Double, Double> after = buckets(0.5, 90, 1.0, 95, INF, 100);

    assertThat(HistogramQuantiles.between(new TreeMap<>(), after).quantile(0.99)).isEqualTo(1.0);
  }

  @Test
  void isNotANumberWhenNothingWasObserved() {
    NavigableMap<Double, Double> same = buckets(0.5, 7, INF, 7);

    assertThat(HistogramQuantiles.between(same, same).quantile(0.5)).isNaN();
  }

  private static NavigableMap<Double, Double> buckets(double... boundCountPairs) {
    NavigableMap<Double, Double> m = new TreeMap<>();
    for (int i = 0; i < boundCountPairs.length; i += 2) {
      m.put(boundCountPairs[i], boundCountPairs[i + 1]);
    }
    return m;
  }
}
