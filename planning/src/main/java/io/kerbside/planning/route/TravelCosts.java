package io.kerbside.planning.route;

import com.graphhopper.jsprit.core.problem.Location;
import com.graphhopper.jsprit.core.problem.cost.AbstractForwardVehicleRoutingTransportCosts;
import com.graphhopper.jsprit.core.problem.driver.Driver;
import com.graphhopper.jsprit.core.problem.vehicle.Vehicle;
import io.kerbside.planning.PlanningConfig;

/**
 * Travel between the points of one problem for jsprit: road metres as great-circle metres x the
 * detour factor, seconds at the configured speed; the cost of a leg is its seconds. Points are
 * addressed by their location index; coordinates are kept in arrays so that the solver's millions
 * of look-ups allocate nothing. Thread-safe (read-only after construction).
 */
final class TravelCosts extends AbstractForwardVehicleRoutingTransportCosts {
  private final double[] lat;
  private final double[] lon;
  private final PlanningConfig.Travel travel;

  TravelCosts(double[] lat, double[] lon, PlanningConfig.Travel travel) {
    this.lat = lat;
    this.lon = lon;
    this.travel = travel;
  }

  double metres(int from, int to) {
    return from == to ? 0 : travel.roadMetres(lat[from], lon[from], lat[to], lon[to]);
  }

  double seconds(int from, int to) {
    return travel.seconds(metres(from, to));
  }

  @Override
  public double getDistance(Location from, Location to, double departureTime, Vehicle vehicle) {
    return metres(from.getIndex(), to.getIndex());
  }

  @Override
  public double getTransportTime(
      Location from, Location to, double departureTime, Driver driver, Vehicle vehicle) {
    return seconds(from.getIndex(), to.getIndex());
  }

  @Override
  public double getTransportCost(
      Location from, Location to, double departureTime, Driver driver, Vehicle vehicle) {
    return seconds(from.getIndex(), to.getIndex());
  }
}
