package io.kerbside.planning;

import java.time.Instant;
import java.util.List;

/**
 * One bin of a collection plan.
 *
 * @param stopNo the stop's number within its plan, from 1: vehicles in configuration order, each
 *     route in driving order, then the unassigned bins
 * @param vehicle the vehicle that empties it; null when no vehicle could (capacity, shift)
 * @param routeOrder its place in the vehicle's route, from 1; null when unassigned
 * @param eta when the crew is expected to start emptying it; null when unassigned
 * @param litres what the crew will lift: capacity x predicted fill (capped at full)
 * @param predictedFillPct the bin's predicted fill at the round's end; NaN when unknown
 * @param status {@code planned}, {@code unassigned} or {@code emptied}
 */
public record PlanStop(
    int stopNo,
    long assetPk,
    String assetRef,
    String name,
    String street,
    String ward,
    double latitude,
    double longitude,
    String vehicle,
    Integer routeOrder,
    Instant eta,
    double litres,
    double predictedFillPct,
    List<Reason> reasons,
    String status,
    Instant emptiedAt,
    String emptiedBy) {
  public PlanStop {
    reasons = List.copyOf(reasons);
  }
}
