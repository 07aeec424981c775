package io.kerbside.planning.report;

import java.time.DayOfWeek;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a bin's readings say over the report's period. A figure that cannot be known is NaN: the
 * mean fill at emptying of a bin never emptied, every figure of a bin without readings.
 *
 * @param readings fill readings in the period
 * @param observedHours hours the readings cover: each stands until the next, for at most {@code
 *     max_gap_h}
 * @param lifts emptyings seen in the readings (a fall of at least {@code emptying_drop_pct})
 * @param crewLifts stops of stored collection plans marked emptied in the period
 * @param meanFillAtEmptyingPct mean of the readings just before each emptying
 * @param maxFillPct the highest reading
 * @param hoursOverflowing observed hours at or above {@code overflow_pct}
 * @param fillRatePctPerDay points of fill added per day (rises only, between readings at most
 *     {@code max_gap_h} apart)
 * @param fillRateByWeekday the same per local weekday, for the weekdays observed
 */
public record BinFigures(
    int readings,
    double observedHours,
    int lifts,
    int crewLifts,
    double meanFillAtEmptyingPct,
    double maxFillPct,
    double hoursOverflowing,
    double fillRatePctPerDay,
    Map<DayOfWeek, Double> fillRateByWeekday) {
  public BinFigures {
    fillRateByWeekday =
        Collections.unmodifiableMap(
            fillRateByWeekday.isEmpty()
                ? new EnumMap<>(DayOfWeek.class)
                : new EnumMap<>(fillRateByWeekday));
  }

  /** A bin without a reading in the period. */
  static BinFigures silent(int crewLifts) {
    return new BinFigures(
        0, 0, 0, crewLifts, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of());
  }

  /** The fill rate on {@code day} in points a day; NaN when that weekday was not observed. */
  public double fillRateOn(DayOfWeek day) {
    return fillRateByWeekday.getOrDefault(day, Double.NaN);
  }
}
