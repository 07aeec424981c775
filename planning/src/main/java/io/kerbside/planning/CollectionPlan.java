package io.kerbside.planning;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A council's collection plan for a date and a round: the routes of its vehicles and every selected
 * bin (stops in driving order, then the unassigned ones).
 *
 * @param id the stored plan's id
 * @param binsConsidered the council's bins that planning looked at
 * @param solveMs how long selection and routing took
 */
public record CollectionPlan(
    long id,
    String council,
    LocalDate date,
    String round,
    Instant plannedAt,
    String plannedBy,
    int binsConsidered,
    long solveMs,
    List<VehicleRoute> routes,
    List<PlanStop> stops) {
  public CollectionPlan {
    routes = List.copyOf(routes);
    stops = List.copyOf(stops);
  }

  /** The stops of {@code vehicle}, in driving order. */
  public List<PlanStop> stopsOf(String vehicle) {
    return stops.stream().filter(s -> vehicle.equals(s.vehicle())).toList();
  }

  /** The selected bins that no vehicle could take. */
  public List<PlanStop> unassigned() {
    return stops.stream().filter(s -> s.vehicle() == null).toList();
  }
}
