package io.kerbside.planning;

import java.time.Instant;

/**
 * One vehicle's route of a plan: from its depot through its stops and back.
 *
 * @param start when it leaves the depot
 * @param end when it is back at the depot
 * @param km road kilometres (great circle x detour factor)
 * @param litres what it collects
 */
public record VehicleRoute(
    String vehicle,
    int capacityL,
    double depotLatitude,
    double depotLongitude,
    Instant start,
    Instant end,
    double km,
    double litres,
    int stops) {}
