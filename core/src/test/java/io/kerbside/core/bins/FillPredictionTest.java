package io.kerbside.core.bins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.core.bins.FillPrediction.FillRate;
import io.kerbside.core.bins.FillPrediction.Point;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FillPredictionTest {
  private static final Instant T = Instant.parse("2026-11-02T06:00:00Z");

  /** Readings every {@code stepMin} minutes from {@code from}, with the given values. */
  private static List<Point> every(Instant from, int stepMin, double... values) {
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(new Point(from.plus(Duration.ofMinutes((long) stepMin * i)), values[i]));
    }
    return out;
  }

  @Test
  void fitsTheRateOfASteadilyFillingBin() {
    FillRate r = FillPrediction.sinceLastEmptying(every(T, 60, 10, 12, 14, 16, 18), 20);
    assertThat(r.ratePctPerHour()).isCloseTo(2.0, within(1e-9));
    assertThat(r.emptiedInWindow()).isFalse();
    assertThat(r.segmentPoints()).isEqualTo(5);
    assertThat(r.segmentHours()).isEqualTo(4.0);
    assertThat(r.fillAt(T.plus(Duration.ofHours(10)))).isCloseTo(30.0, within(1e-9));
    assertThat(r.reaches(30)).contains(T.plus(Duration.ofHours(10)));
  }

  @Test
  void usesOnlyTheReadingsAfterTheNewestEmptying() {
    // filled fast to 90, emptied to 5, then fills at 1 point an hour
    FillRate r = FillPrediction.sinceLastEmptying(every(T, 60, 60, 75, 90, 5, 6, 7, 8), 20);
    assertThat(r.emptiedInWindow()).isTrue();
    assertThat(r.segmentStart()).isEqualTo(3);
    assertThat(r.segmentPoints()).isEqualTo(4);
    assertThat(r.ratePctPerHour()).isCloseTo(1.0, within(1e-9));
    assertThat(r.enoughReadings(4, 2)).isTrue();
    assertThat(r.enoughReadings(5, 2)).isFalse();
  }

  @Test
  void findsEveryEmptyingAndTheNewestIsWhereTheSegmentStarts() {
    List<Point> fill = every(T, 60, 50, 70, 10, 30, 55, 35, 60, 80, 2, 5);
    // 70 -> 10 and 80 -> 2 are emptyings; 55 -> 35 (a fall of exactly 20) is one too
    assertThat(FillPrediction.emptyings(fill, 20)).containsExactly(2, 5, 8);
    assertThat(FillPrediction.emptyings(fill, 21)).containsExactly(2, 8);
    assertThat(FillPrediction.segmentStart(fill, 20)).isEqualTo(8);
    assertThat(FillPrediction.emptyings(every(T, 60, 10, 20, 30), 20)).isEmpty();
  }

  @Test
  void aBusySpellIsNotExtrapolatedOverADayOfSlowerFilling() {
    // 24 hours at half a point an hour, then a busy 4 hours at 3 points an hour
    List<Point> fill = new ArrayList<>();
    for (int h = 0; h <= 24; h++) {
      fill.add(new Point(T.plus(Duration.ofHours(h)), 10 + 0.5 * h));
    }
    for (int h = 1; h <= 4; h++) {
      fill.add(new Point(T.plus(Duration.ofHours(24 + h)), 22 + 3 * h));
    }
    FillRate r = FillPrediction.sinceLastEmptying(fill, 20);
    double daily = FillPrediction.dailyRate(fill, T.plus(Duration.ofHours(28)), 20);
    assertThat(daily).isCloseTo((20 * 0.5 + 12) / 24.0, within(1e-9));
    assertThat(r.ratePctPerHour())
        .isCloseTo(Math.min(FillPrediction.slopePerHour(fill), daily), within(1e-9))
        .isLessThan(1.0);
    // the busy hours alone would say 3 points an hour
    assertThat(FillPrediction.slopePerHour(fill.subList(24, fill.size())))
        .isCloseTo(3.0, within(1e-9));
    assertThat(FillPrediction.dailyRate(fill.subList(10, fill.size()), T, 20)).isNaN();
  }

  @Test
  void aBinThatIsNotFillingKeepsItsLatestFillAndNeverReachesMore() {
    FillRate r = FillPrediction.sinceLastEmptying(every(T, 60, 40, 40, 39, 40), 20);
    assertThat(r.filling()).isFalse();
    assertThat(r.fillAt(T.plus(Duration.ofDays(3)))).isEqualTo(40.0);
    assertThat(r.reaches(80)).isEmpty();
    assertThat(r.reaches(30)).contains(T.plus(Duration.ofHours(3)));
  }

  @Test
  void oneReadingHasNoRate() {
    FillRate r = FillPrediction.sinceLastEmptying(every(T, 60, 55), 20);
    assertThat(r.ratePctPerHour()).isNaN();
    assertThat(r.filling()).isFalse();
    assertThat(r.fillAt(T.plus(Duration.ofHours(5)))).isEqualTo(55.0);
  }

  @Test
  void predictsNoLowerThanTheLatestReadingForEarlierTimes() {
    FillRate r = FillPrediction.sinceLastEmptying(every(T, 60, 10, 20, 30), 20);
    assertThat(r.fillAt(T)).isEqualTo(30.0);
  }
}
