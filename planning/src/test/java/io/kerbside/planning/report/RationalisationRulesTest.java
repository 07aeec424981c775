package io.kerbside.planning.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.core.bins.FillPrediction.Point;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class RationalisationRulesTest {
  /** A Monday; four weeks of hourly readings follow. */
  static final Instant FROM = Instant.parse("2026-11-02T00:00:00Z");

  static final Instant TO = FROM.plus(Duration.ofDays(28));

  /**
   * Hourly readings over the four weeks of a bin filling at {@code ratePerHour} (capped at 100 %),
   * emptied to 0 every {@code emptyEveryHours}.
   */
  static List<Point> series(ToDoubleFunction<Instant> ratePerHour, int emptyEveryHours) {
    List<Point> out = new ArrayList<>();
    double fill = 0;
    int since = 0;
    for (Instant t = FROM; t.isBefore(TO); t = t.plus(Duration.ofHours(1))) {
      if (since == emptyEveryHours) {
        fill = 0;
        since = 0;
      }
      out.add(new Point(t, fill));
      fill = Math.min(100, fill + ratePerHour.applyAsDouble(t));
      since++;
    }
    return out;
  }

  static List<Point> steady(double ratePerHour, int emptyEveryHours) {
    return series(t -> ratePerHour, emptyEveryHours);
  }

  static BinHistory bin(String ref, String street, List<Point> fill) {
    return new BinHistory(ref.hashCode(), ref, null, street, "Market", fill, 0);
  }

  private static Map<String, RationalisedBin> judge(
      RationalisationConfig config, BinHistory... bins) {
    Map<String, RationalisedBin> out = new HashMap<>();
    new RationalisationRules(config)
        .judge(List.of(bins), FROM, TO)
        .forEach(b -> out.put(b.assetRef(), b));
    return out;
  }

  private static RationalisationConfig defaults() {
    return RationalisationConfig.defaults();
  }

  @Test
  void countsLiftsAndTheFillAtEachEmptyingLikeThePrediction() {
    // a quarter point an hour, emptied weekly: 3 lifts at 41.75 %, 6 points a day
    BinFigures f =
        new RationalisationRules(defaults()).figures(bin("B", null, steady(0.25, 168)), TO);
    assertThat(f.readings()).isEqualTo(672);
    assertThat(f.lifts()).isEqualTo(3);
    assertThat(f.meanFillAtEmptyingPct()).isCloseTo(41.75, within(1e-9));
    assertThat(f.maxFillPct()).isCloseTo(41.75, within(1e-9));
    assertThat(f.hoursOverflowing()).isZero();
    assertThat(f.observedHours()).isCloseTo(672, within(1e-9));
    // the three hours across an emptying count without a rise
    assertThat(f.fillRatePctPerDay()).isCloseTo(6.0 * 668 / 671, within(1e-9));
    assertThat(f.fillRateByWeekday()).hasSize(7);
  }

  @Test
  void anUnderusedBinIsToBeRemovedOrMovedWithItsFiguresInTheReason() {
    RationalisedBin b =
        judge(defaults(), bin("UNDER/1", "Mill Road", steady(0.25, 168))).get("UNDER/1");
    assertThat(b.recommendation()).isEqualTo(Recommendation.REMOVE_OR_MOVE);
    assertThat(b.reason())
        .isEqualTo(
            "mean fill at emptying 42 % over 3 lifts (below 50 %) and fills 6.0 %/day (below 15)"
                + " in 4 weeks");
  }

  @Test
  void aBinNeverEmptiedAndNeverNearlyFullIsUnderusedToo() {
    RationalisedBin b = judge(defaults(), bin("QUIET", null, steady(0.05, 10_000))).get("QUIET");
    assertThat(b.figures().lifts()).isZero();
    assertThat(b.figures().meanFillAtEmptyingPct()).isNaN();
    assertThat(b.recommendation()).isEqualTo(Recommendation.REMOVE_OR_MOVE);
    assertThat(b.reason())
        .startsWith("no lift, highest fill 34 % (below 50 %) and fills 1.2 %/day");
  }

  @Test
  void anOverflowingBinIsToBeUpsizedOrGetAnotherLift() {
    // 2.5 points an hour, emptied every 3 days: full after 40 h, then 32 h at 100 % each time,
    // nine times (the last day of the four weeks does not reach 100 %)
    RationalisedBin b =
        judge(defaults(), bin("OVER/1", "High Street", steady(2.5, 72))).get("OVER/1");
    assertThat(b.figures().hoursOverflowing()).isCloseTo(9 * 32, within(1e-9));
    assertThat(b.figures().lifts()).isEqualTo(9);
    assertThat(b.figures().meanFillAtEmptyingPct()).isEqualTo(100.0);
    assertThat(b.recommendation()).isEqualTo(Recommendation.UPSIZE_OR_ADD_LIFT);
    assertThat(b.reason())
        .startsWith(
            "288.0 h at or above 100 % in 4 weeks (more than 24 h); 9 lifts,"
                + " mean fill at emptying 100 %, fills ");
  }

  @Test
  void theOverflowThresholdsAreSettings() {
    RationalisationConfig d = defaults();
    // emptied daily at 92 %: never at 100 %, but an hour a day at or above 90 %
    List<Point> fill = steady(4, 24);
    assertThat(judge(d, bin("B", null, fill)).get("B").recommendation())
        .isEqualTo(Recommendation.KEEP);
    RationalisationConfig at90 = new RationalisationConfig(4, d.zone(), 20, 90, 24, 50, 15, 6, 24);
    RationalisedBin b = judge(at90, bin("B", null, fill)).get("B");
    assertThat(b.figures().hoursOverflowing()).isCloseTo(28, within(1e-9));
    assertThat(b.recommendation()).isEqualTo(Recommendation.UPSIZE_OR_ADD_LIFT);
    RationalisationConfig allow60h =
        new RationalisationConfig(4, d.zone(), 20, 90, 60, 50, 15, 6, 24);
    assertThat(judge(allow60h, bin("B", null, fill)).get("B").recommendation())
        .isEqualTo(Recommendation.KEEP);
  }

  @Test
  void theUnderusedThresholdsAreSettings() {
    RationalisationConfig d = defaults();
    BinHistory under = bin("UNDER/1", null, steady(0.25, 168));
    RationalisationConfig lowerFill =
        new RationalisationConfig(4, d.zone(), 20, 100, 24, 40, 15, 6, 24);
    assertThat(judge(lowerFill, under).get("UNDER/1").recommendation())
        .isEqualTo(Recommendation.KEEP);
    RationalisationConfig lowerRate =
        new RationalisationConfig(4, d.zone(), 20, 100, 24, 50, 5, 6, 24);
    assertThat(judge(lowerRate, under).get("UNDER/1").recommendation())
        .isEqualTo(Recommendation.KEEP);
  }

  @Test
  void aStreetWhereOneBinOverflowsWhileItsNeighbourIsUnderusedIsRebalanced() {
    Map<String, RationalisedBin> r =
        judge(
            defaults(),
            bin("STN/1", "Station Road", steady(2.5, 72)),
            bin("STN/2", " station road ", steady(0.25, 168)),
            bin("STN/3", "Station Road", steady(1.2, 72)),
            // the same street in another ward is not a neighbour
            new BinHistory(99, "FAR/1", null, "Station Road", "Riverside", steady(0.25, 168), 0));
    assertThat(r.get("STN/1").recommendation()).isEqualTo(Recommendation.REBALANCE_STREET);
    assertThat(r.get("STN/1").reason())
        .isEqualTo(
            "288.0 h at or above 100 % in 4 weeks (more than 24 h) while STN/2 on Station Road"
                + " stays underused");
    assertThat(r.get("STN/2").recommendation()).isEqualTo(Recommendation.REBALANCE_STREET);
    assertThat(r.get("STN/2").reason())
        .startsWith("mean fill at emptying 42 % over 3 lifts (below 50 %) and fills 6.0 %/day")
        .endsWith(", while STN/1 on station road overflows");
    assertThat(r.get("STN/3").recommendation()).isEqualTo(Recommendation.KEEP);
    assertThat(r.get("STN/3").reason())
        .startsWith("9 lifts, mean fill at emptying 85 %, 0.0 h overflowing, fills ")
        .endsWith("within the thresholds");
    assertThat(r.get("FAR/1").recommendation()).isEqualTo(Recommendation.REMOVE_OR_MOVE);
  }

  @Test
  void aSilentBinIsKeptAndSaysWhy() {
    RationalisedBin silent = judge(defaults(), bin("SILENT", "Mill Road", List.of())).get("SILENT");
    assertThat(silent.recommendation()).isEqualTo(Recommendation.KEEP);
    assertThat(silent.reason())
        .isEqualTo("no fill readings in 4 weeks: the sensor is silent, nothing to judge");
    assertThat(silent.figures().readings()).isZero();
    assertThat(silent.figures().hoursOverflowing()).isNaN();
    assertThat(silent.figures().fillRatePctPerDay()).isNaN();

    // three readings an hour apart, the last at the end: 3 hours, too few to judge
    List<Point> few =
        List.of(
            new Point(TO.minus(Duration.ofHours(3)), 10),
            new Point(TO.minus(Duration.ofHours(2)), 11),
            new Point(TO.minus(Duration.ofHours(1)), 12));
    RationalisedBin b = judge(defaults(), bin("NEW", null, few)).get("NEW");
    assertThat(b.recommendation()).isEqualTo(Recommendation.KEEP);
    assertThat(b.reason())
        .isEqualTo("readings cover only 3.0 h of 4 weeks (fewer than 24 h): too little to judge");
  }

  @Test
  void fillRatesAreByLocalWeekday() {
    // a point an hour, four on Saturdays (London time), emptied daily
    List<Point> fill =
        series(
            t ->
                t.plus(Duration.ofHours(1)).atZone(defaults().zone()).getDayOfWeek()
                        == DayOfWeek.SATURDAY
                    ? 4
                    : 1,
            24);
    BinFigures f = new RationalisationRules(defaults()).figures(bin("B", null, fill), TO);
    // 23 rises and one emptying a day (the first Monday has no emptying, so Tuesday)
    assertThat(f.fillRateOn(DayOfWeek.TUESDAY)).isCloseTo(23, within(1e-9));
    assertThat(f.fillRateOn(DayOfWeek.SATURDAY)).isCloseTo(92, within(1e-9));
  }

  @Test
  void aLongSilenceIsNeitherOverflowingNorFillingTheWholeTime() {
    // full, then silent for three days, then emptied
    List<Point> fill =
        List.of(
            new Point(FROM, 100),
            new Point(FROM.plus(Duration.ofHours(72)), 100),
            new Point(FROM.plus(Duration.ofHours(73)), 0),
            new Point(FROM.plus(Duration.ofHours(74)), 1));
    BinFigures f =
        new RationalisationRules(defaults())
            .figures(bin("B", null, fill), FROM.plus(Duration.ofHours(75)));
    assertThat(f.hoursOverflowing()).isEqualTo(6 + 1);
    assertThat(f.observedHours()).isEqualTo(6 + 1 + 1 + 1);
    assertThat(f.lifts()).isEqualTo(1);
    assertThat(f.fillRatePctPerDay()).isCloseTo(24.0 / 2, within(1e-9));
  }
}
