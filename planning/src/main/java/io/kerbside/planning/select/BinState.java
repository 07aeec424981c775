package io.kerbside.planning.select;

import io.kerbside.core.bins.FillPrediction;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What planning knows about one bin: where it is, its size and fixed schedule from the registry,
 * its recent fill readings, and its open alerts.
 *
 * @param capacityL litres; null when the registry does not know
 * @param collectionDays the fixed schedule's weekdays; empty without one
 * @param fill fill readings, oldest first, over the history read
 * @param openAlertRules rules of the bin's active alerts ({@code bin-full}, ...)
 */
public record BinState(
    long assetPk,
    String assetRef,
    String name,
    String street,
    String ward,
    double latitude,
    double longitude,
    Integer capacityL,
    Set<DayOfWeek> collectionDays,
    List<FillPrediction.Point> fill,
    Set<String> openAlertRules) {
  public BinState {
    collectionDays = Set.copyOf(collectionDays);
    fill = List.copyOf(fill);
    openAlertRules = Set.copyOf(openAlertRules);
  }

  /** When its sensor last reported a fill; null when it did not in the history read. */
  public Instant lastReadingAt() {
    return fill.isEmpty() ? null : fill.get(fill.size() - 1).at();
  }
}
