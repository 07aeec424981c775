package io.kerbside.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunsTest {
  private static Runs of(double... values) {
    Runs runs = new Runs();
    for (double v : values) {
      runs.add(v);
    }
    return runs;
  }

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    assertThat(of(30, 10, 20).median()).isEqualTo(20);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(of(40, 10, 30, 20).median()).isEqualTo(25);
  }

  @Test
  void runsThatMeasuredNothingAreLeftOut() {
    assertThat(of(Double.NaN, 10, 30).median()).isEqualTo(20);
    assertThat(of(Double.NaN).median()).isNaN();
    assertThat(new Runs().median()).isNaN();
  }

  @Test
  void describesTheMedianThenEveryRunInOrder() {
    assertThat(of(3, 1, 2).describe(v -> String.format("%.0f", v)))
        .isEqualTo("median 2 (runs: 3 / 1 / 2)");
    assertThat(of(7).describe(v -> String.format("%.0f", v))).isEqualTo("7");
  }
}
