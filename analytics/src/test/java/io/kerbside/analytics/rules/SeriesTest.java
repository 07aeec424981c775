package io.kerbside.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesTest {
  @Test
  void countsOnlyTheNewestItemsInARow() {
    List<Integer> values = List.of(9, 1, 9, 9, 9);
    assertThat(Series.newestInARow(values, v -> v > 5)).isEqualTo(3);
    assertThat(Series.newestInARow(values, v -> v < 5)).isZero();
    assertThat(Series.newestInARow(values, v -> true)).isEqualTo(5);
    assertThat(Series.newestInARow(List.<Integer>of(), v -> true)).isZero();
  }
}
