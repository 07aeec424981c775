package io.kerbside.planning.select;

import io.kerbside.planning.Reason;
import java.util.List;

/**
 * A bin selected for a round, with why.
 *
 * @param predictedFillPct predicted fill at the round's end, in percent; NaN when unknown (silent)
 * @param litres what the crew will lift: capacity x predicted fill, capped at the capacity; the
 *     whole capacity when the fill is unknown
 */
public record SelectedBin(
    BinState bin, List<Reason> reasons, double predictedFillPct, double litres) {
  public SelectedBin {
    reasons = List.copyOf(reasons);
  }
}
