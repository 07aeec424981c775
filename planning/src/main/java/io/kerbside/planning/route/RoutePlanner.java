package io.kerbside.planning.route;

import com.graphhopper.jsprit.core.algorithm.VehicleRoutingAlgorithm;
import com.graphhopper.jsprit.core.algorithm.box.Jsprit;
import com.graphhopper.jsprit.core.algorithm.termination.TimeTermination;
import com.graphhopper.jsprit.core.problem.Location;
import com.graphhopper.jsprit.core.problem.VehicleRoutingProblem;
import com.graphhopper.jsprit.core.problem.job.Job;
import com.graphhopper.jsprit.core.problem.job.Service;
import com.graphhopper.jsprit.core.problem.solution.VehicleRoutingProblemSolution;
import com.graphhopper.jsprit.core.problem.solution.route.VehicleRoute;
import com.graphhopper.jsprit.core.problem.solution.route.activity.TimeWindow;
import com.graphhopper.jsprit.core.problem.solution.route.activity.TourActivity;
import com.graphhopper.jsprit.core.problem.vehicle.VehicleImpl;
import com.graphhopper.jsprit.core.problem.vehicle.VehicleTypeImpl;
import com.graphhopper.jsprit.core.util.Coordinate;
import com.graphhopper.jsprit.core.util.Solutions;
import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.select.SelectedBin;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Solves a round as a vehicle routing problem with capacities and time windows (jsprit): each
 * vehicle leaves its depot no earlier than its shift start and the round's start, empties bins up
 * to its capacity in litres, and is back at its depot by its shift end; every bin is emptied
 * between the round's start and end. Bins that no vehicle can take are returned as unassigned.
 * Times inside the problem are seconds after the plan date's local midnight. Not thread-safe; one
 * planner per call is cheap.
 */
public final class RoutePlanner {
  /** The most bins one ruin step of the solver removes. */
  private static final String RUIN_MAX = "40";

  private final PlanningConfig config;
  private final long seed;

  /**
   * @param seed the solver's random seed: the same input and seed give the same routes
   */
  public RoutePlanner(PlanningConfig config, long seed) {
    this.config = config;
    this.seed = seed;
  }

  /** A bin in a vehicle's route. */
  public record RoutedBin(SelectedBin bin, int order, Instant eta) {}

  /** One vehicle's route; {@code stops} in driving order (empty when the vehicle stays home). */
  public record Route(
      PlanningConfig.Vehicle vehicle,
      List<RoutedBin> stops,
      Instant start,
      Instant end,
      double km) {}

  /** The solved round: one route per vehicle of the round, in its order, and the bins left. */
  public record Routes(List<Route> routes, List<SelectedBin> unassigned) {}

  /**
   * Routes {@code bins} for {@code round} on {@code date}. Up to {@code split_above_bins} bins the
   * whole round is one problem; above, the bins are split by a sweep around the depots into one
   * group per vehicle, sized by its share of the capacity, and each vehicle's group is solved on
   * its own (cluster first, route second), the bins one vehicle cannot take being offered to the
   * next. The solver's construction grows with the cube of the bins in one problem, so a town of
   * thousands of bins is planned in seconds this way, at the price of no exchanges between
   * vehicles.
   */
  public Routes plan(List<SelectedBin> bins, PlanningConfig.Round round, LocalDate date) {
    List<PlanningConfig.Vehicle> vehicles = round.vehicles().stream().map(config::vehicle).toList();
    if (bins.size() <= config.solver().splitAboveBins() || vehicles.size() == 1) {
      return solve(bins, vehicles, round, date, config.solver().maxSolveSeconds() * 1000L);
    }
    List<List<SelectedBin>> groups = sweep(bins, vehicles);
    // one deadline for the round: each vehicle's problem gets its share of what is left
    long deadline = System.nanoTime() + config.solver().maxSolveSeconds() * 1_000_000_000L;
    List<Route> routes = new ArrayList<>();
    List<SelectedBin> carried = new ArrayList<>();
    for (int i = 0; i < vehicles.size(); i++) {
      List<SelectedBin> group = new ArrayList<>(carried);
      group.addAll(groups.get(i));
      long budgetMs = (deadline - System.nanoTime()) / 1_000_000 / (vehicles.size() - i);
      Routes one = solve(group, List.of(vehicles.get(i)), round, date, budgetMs);
      routes.addAll(one.routes());
      carried = new ArrayList<>(one.unassigned());
    }
    carried.sort(java.util.Comparator.comparing(b -> b.bin().assetRef()));
    return new Routes(routes, carried);
  }

  /**
   * The bins in angular order around the vehicles' mean depot, cut into one group per vehicle
   * holding its share of the litres (by capacity).
   */
  static List<List<SelectedBin>> sweep(
      List<SelectedBin> bins, List<PlanningConfig.Vehicle> vehicles) {
    double lat =
        vehicles.stream().mapToDouble(PlanningConfig.Vehicle::depotLatitude).average().orElse(0);
    double lon =
        vehicles.stream().mapToDouble(PlanningConfig.Vehicle::depotLongitude).average().orElse(0);
    double cos = Math.cos(Math.toRadians(lat));
    List<SelectedBin> ordered = new ArrayList<>(bins);
    ordered.sort(
        java.util.Comparator.comparingDouble(
                (SelectedBin b) ->
                    Math.atan2(b.bin().latitude() - lat, (b.bin().longitude() - lon) * cos))
            .thenComparing(b -> b.bin().assetRef()));
    double litres = bins.stream().mapToDouble(SelectedBin::litres).sum();
    double capacity = vehicles.stream().mapToDouble(PlanningConfig.Vehicle::capacityL).sum();
    List<List<SelectedBin>> groups = new ArrayList<>();
    int next = 0;
    double share = 0;
    double taken = 0;
    for (int i = 0; i < vehicles.size(); i++) {
      share += litres * vehicles.get(i).capacityL() / capacity;
      List<SelectedBin> group = new ArrayList<>();
      while (next < ordered.size()
          && (i == vehicles.size() - 1 || taken + ordered.get(next).litres() <= share + 1e-9)) {
        taken += ordered.get(next).litres();
        group.add(ordered.get(next++));
      }
      groups.add(group);
    }
    return groups;
  }

  private Routes solve(
      List<SelectedBin> bins,
      List<PlanningConfig.Vehicle> vehicles,
      PlanningConfig.Round round,
      LocalDate date,
      long budgetMs) {
    int n = vehicles.size() + bins.size();
    double[] lat = new double[n];
    double[] lon = new double[n];
    for (int i = 0; i < vehicles.size(); i++) {
      lat[i] = vehicles.get(i).depotLatitude();
      lon[i] = vehicles.get(i).depotLongitude();
    }
    for (int i = 0; i < bins.size(); i++) {
      lat[vehicles.size() + i] = bins.get(i).bin().latitude();
      lon[vehicles.size() + i] = bins.get(i).bin().longitude();
    }
    TravelCosts costs = new TravelCosts(lat, lon, config.travel());
    Instant midnight = date.atStartOfDay(config.zone()).toInstant();
    double roundStart = seconds(date, round.start(), midnight);
    double roundEnd = seconds(date, round.end(), midnight);

    VehicleRoutingProblem.Builder vrp = VehicleRoutingProblem.Builder.newInstance();
    vrp.setFleetSize(VehicleRoutingProblem.FleetSize.FINITE);
    vrp.setRoutingCost(costs);
    Map<String, PlanningConfig.Vehicle> byId = new HashMap<>();
    for (int i = 0; i < vehicles.size(); i++) {
      PlanningConfig.Vehicle v = vehicles.get(i);
      VehicleTypeImpl type =
          VehicleTypeImpl.Builder.newInstance("type-" + v.name())
              .addCapacityDimension(0, v.capacityL())
              .build();
      Location depot =
          Location.Builder.newInstance()
              .setIndex(i)
              .setId("depot-" + v.name())
              .setCoordinate(Coordinate.newInstance(v.depotLongitude(), v.depotLatitude()))
              .build();
      vrp.addVehicle(
          VehicleImpl.Builder.newInstance(v.name())
              .setType(type)
              .setStartLocation(depot)
              .setReturnToDepot(true)
              .setEarliestStart(seconds(date, v.shiftStart(), midnight))
              .setLatestArrival(seconds(date, v.shiftEnd(), midnight))
              .build());
      byId.put(v.name(), v);
    }
    Map<String, SelectedBin> jobs = new HashMap<>();
    for (int i = 0; i < bins.size(); i++) {
      SelectedBin b = bins.get(i);
      String id = Integer.toString(i);
      jobs.put(id, b);
      vrp.addJob(
          Service.Builder.newInstance(id)
              .setLocation(
                  Location.Builder.newInstance()
                      .setIndex(vehicles.size() + i)
                      .setId("bin-" + b.bin().assetPk())
                      .setCoordinate(
                          Coordinate.newInstance(b.bin().longitude(), b.bin().latitude()))
                      .build())
              .addSizeDimension(0, (int) Math.ceil(b.litres()))
              .setServiceTime(config.travel().serviceSeconds())
              .addTimeWindow(TimeWindow.newInstance(roundStart, roundEnd))
              .build());
    }
    VehicleRoutingProblem problem = vrp.build();

    VehicleRoutingAlgorithm algorithm =
        Jsprit.Builder.newInstance(problem)
            .setProperty(Jsprit.Parameter.THREADS, Integer.toString(config.solver().threads()))
            .setProperty(Jsprit.Parameter.FAST_REGRET, "true")
            // small ruins: each iteration removes and re-inserts tens of bins, not hundreds
            .setProperty(Jsprit.Parameter.RADIAL_MIN_SHARE, "5")
            .setProperty(Jsprit.Parameter.RADIAL_MAX_SHARE, RUIN_MAX)
            .setProperty(Jsprit.Parameter.RANDOM_BEST_MIN_SHARE, "5")
            .setProperty(Jsprit.Parameter.RANDOM_BEST_MAX_SHARE, RUIN_MAX)
            .setProperty(Jsprit.Parameter.RANDOM_REGRET_MIN_SHARE, "5")
            .setProperty(Jsprit.Parameter.RANDOM_REGRET_MAX_SHARE, RUIN_MAX)
            .setProperty(Jsprit.Parameter.WORST_MIN_SHARE, "5")
            .setProperty(Jsprit.Parameter.WORST_MAX_SHARE, RUIN_MAX)
            .setProperty(Jsprit.Parameter.CLUSTER_MIN_SHARE, "5")
            .setProperty(Jsprit.Parameter.CLUSTER_MAX_SHARE, RUIN_MAX)
            .setProperty(
                Jsprit.Parameter.CONSTRUCTION, Jsprit.Construction.BEST_INSERTION.toString())
            .setRandom(new Random(seed))
            .buildAlgorithm();
    algorithm.setMaxIterations(config.solver().iterations());
    TimeTermination time = new TimeTermination(Math.max(100, budgetMs));
    algorithm.addTerminationCriterion(time);
    algorithm.addListener(time);
    Collection<VehicleRoutingProblemSolution> solutions = algorithm.searchSolutions();
    VehicleRoutingProblemSolution best = Solutions.bestOf(solutions);

    Map<String, Route> routes = new HashMap<>();
    for (VehicleRoute r : best.getRoutes()) {
      PlanningConfig.Vehicle v = byId.get(r.getVehicle().getId());
      int depot = vehicles.indexOf(v);
      List<RoutedBin> stops = new ArrayList<>();
      double metres = 0;
      int prev = depot;
      int order = 0;
      for (TourActivity act : r.getActivities()) {
        int here = act.getLocation().getIndex();
        metres += costs.metres(prev, here);
        prev = here;
        SelectedBin b = jobs.get(((TourActivity.JobActivity) act).getJob().getId());
        double startS = Math.max(act.getArrTime(), act.getTheoreticalEarliestOperationStartTime());
        stops.add(new RoutedBin(b, ++order, at(midnight, startS)));
      }
      metres += costs.metres(prev, depot);
      routes.put(
          v.name(),
          new Route(
              v,
              stops,
              at(midnight, r.getStart().getEndTime()),
              at(midnight, r.getEnd().getArrTime()),
              metres / 1000));
    }
    List<Route> ordered = new ArrayList<>();
    for (PlanningConfig.Vehicle v : vehicles) {
      Instant shiftStart = at(midnight, seconds(date, v.shiftStart(), midnight));
      ordered.add(
          routes.getOrDefault(v.name(), new Route(v, List.of(), shiftStart, shiftStart, 0)));
    }
    List<SelectedBin> unassigned = new ArrayList<>();
    for (Job j : best.getUnassignedJobs()) {
      unassigned.add(jobs.get(j.getId()));
    }
    unassigned.sort(java.util.Comparator.comparing(b -> b.bin().assetRef()));
    return new Routes(ordered, unassigned);
  }

  private double seconds(LocalDate date, LocalTime t, Instant midnight) {
    return java.time.Duration.between(midnight, date.atTime(t).atZone(config.zone()).toInstant())
            .toMillis()
        / 1000.0;
  }

  private static Instant at(Instant midnight, double seconds) {
    return midnight.plusMillis(Math.round(seconds * 1000));
  }
}
