package io.kerbside.planning;

import io.kerbside.core.CouncilRef;
import io.kerbside.planning.route.RoutePlanner;
import io.kerbside.planning.select.BinSelection;
import io.kerbside.planning.select.BinState;
import io.kerbside.planning.select.SelectedBin;
import io.kerbside.planning.store.PlanRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a council's collection plans: reads its bins' states, selects the bins each round must
 * empty ({@link BinSelection}), routes them ({@link RoutePlanner}) and stores the plan. Blocking
 * (JDBC and a solver that runs for seconds): never call it on an event loop. Thread-safe.
 */
public final class CollectionPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(CollectionPlanner.class);

  private final PlanningConfig config;
  private final PlanRepository repository;
  private final PlanningMetrics metrics;
  private final Clock clock;

  public CollectionPlanner(
      PlanningConfig config, PlanRepository repository, PlanningMetrics metrics, Clock clock) {
    this.config = config;
    this.repository = repository;
    this.metrics = metrics;
    this.clock = clock;
  }

  public PlanningConfig config() {
    return config;
  }

  /**
   * The rounds planned for {@code council} on {@code date}: {@code round} when given (whatever its
   * weekdays), else every round of the council that runs that day.
   *
   * @throws IllegalArgumentException when {@code round} names no configured round
   */
  public List<PlanningConfig.Round> rounds(
      CouncilRef council, LocalDate date, Optional<String> round) {
    if (round.isPresent()) {
      PlanningConfig.Round r =
          config
              .round(round.get())
              .filter(x -> x.serves(council.slug()))
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no round '" + round.get() + "' for council " + council.slug()));
      return List.of(r);
    }
    return config.rounds().stream()
        .filter(r -> r.serves(council.slug()) && r.runsOn(date))
        .toList();
  }

  /**
   * Plans and stores the rounds of {@code council} on {@code date} (see {@link #rounds}). A round
   * is planned from what the sensors had said by the time it is planned, or by its start if that
   * came first: a round that has begun or a day gone by is planned as it would have been at its
   * start, from the same readings whenever it is asked for, and never from readings taken during or
   * after it.
   *
   * @param actor who asked, recorded as the plans' author
   */
  public List<CollectionPlan> plan(
      CouncilRef council, LocalDate date, Optional<String> round, String actor)
      throws SQLException {
    List<PlanningConfig.Round> rounds = rounds(council, date, round);
    List<CollectionPlan> out = new ArrayList<>();
    Instant now = clock.instant();
    Map<Instant, List<BinState>> binsAsOf = new HashMap<>();
    for (PlanningConfig.Round r : rounds) {
      Instant start = date.atTime(r.start()).atZone(config.zone()).toInstant();
      Instant asOf = now.isBefore(start) ? now : start;
      List<BinState> bins = binsAsOf.get(asOf);
      if (bins == null) {
        bins =
            repository.bins(
                council, asOf.minus(Duration.ofHours(config.selection().historyHours())), asOf);
        binsAsOf.put(asOf, bins);
      }
      out.add(repository.store(council, plan(council, bins, r, date, asOf, actor)));
    }
    return out;
  }

  /** Selects and routes one round from the bins' states; pure apart from the solver's time. */
  public CollectionPlan plan(
      CouncilRef council,
      List<BinState> bins,
      PlanningConfig.Round round,
      LocalDate date,
      Instant now,
      String actor) {
    long t0 = System.nanoTime();
    Instant roundEnd = endOf(round, date);
    List<BinState> covered = bins.stream().filter(b -> round.covers(b.ward())).toList();
    warnOfUnknownWards(council, bins, round);
    Map<String, Instant> nextVisit = new HashMap<>();
    List<SelectedBin> selected =
        new BinSelection(config.selection())
            .select(
                covered,
                date,
                roundEnd,
                b ->
                    nextVisit.computeIfAbsent(
                        String.valueOf(b.ward()),
                        w -> nextVisitEnd(council, round, date, b.ward())),
                now,
                d -> endOf(round, d));
    RoutePlanner.Routes routes =
        new RoutePlanner(config, date.toEpochDay()).plan(selected, round, date);
    List<VehicleRoute> vehicleRoutes = new ArrayList<>();
    List<PlanStop> stops = new ArrayList<>();
    int no = 0;
    for (RoutePlanner.Route r : routes.routes()) {
      double litres = 0;
      for (RoutePlanner.RoutedBin b : r.stops()) {
        litres += b.bin().litres();
        stops.add(stop(++no, b.bin(), r.vehicle().name(), b.order(), b.eta()));
      }
      vehicleRoutes.add(
          new VehicleRoute(
              r.vehicle().name(),
              r.vehicle().capacityL(),
              r.vehicle().depotLatitude(),
              r.vehicle().depotLongitude(),
              r.start(),
              r.end(),
              r.km(),
              litres,
              r.stops().size()));
    }
    for (SelectedBin b : routes.unassigned()) {
      stops.add(stop(++no, b, null, null, null));
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    metrics.plan().record(Duration.ofMillis(ms));
    metrics.stops(stops.size() - routes.unassigned().size(), routes.unassigned().size());
    LOG.info(
        "planning - {} {} round {}: {} of {} bins selected, {} unassigned, {} ms",
        council.slug(),
        date,
        round.name(),
        selected.size(),
        covered.size(),
        routes.unassigned().size(),
        ms);
    return new CollectionPlan(
        0,
        council.slug(),
        date,
        round.name(),
        now,
        actor,
        covered.size(),
        ms,
        vehicleRoutes,
        stops);
  }

  /**
   * When a bin in {@code ward}, left by {@code round} on {@code date}, is next emptied at the
   * latest: the end of the first later run of any of the council's rounds that covers the ward -
   * the round's own next run, or an earlier one of a round by area.
   */
  Instant nextVisitEnd(
      CouncilRef council, PlanningConfig.Round round, LocalDate date, String ward) {
    Instant after = endOf(round, date);
    Instant best = endOf(round, round.nextAfter(date));
    for (PlanningConfig.Round r : config.rounds()) {
      if (r == round || !r.serves(council.slug()) || !r.covers(ward)) {
        continue;
      }
      for (LocalDate d = date; d.isBefore(date.plusDays(7)); d = d.plusDays(1)) {
        Instant end = endOf(r, d);
        if (r.runsOn(d) && end.isAfter(after)) {
          if (end.isBefore(best)) {
            best = end;
          }
          break;
        }
      }
    }
    return best;
  }

  private Instant endOf(PlanningConfig.Round round, LocalDate date) {
    return date.atTime(round.end()).atZone(config.zone()).toInstant();
  }

  /**
   * Logs the wards a round by area names that none of the council's bins lie in (a misspelling).
   */
  private static void warnOfUnknownWards(
      CouncilRef council, List<BinState> bins, PlanningConfig.Round round) {
    if (round.wards().isEmpty() || bins.isEmpty()) {
      return;
    }
    Set<String> known = new HashSet<>();
    bins.forEach(b -> known.add(b.ward()));
    List<String> unknown = round.wards().stream().filter(w -> !known.contains(w)).sorted().toList();
    if (!unknown.isEmpty()) {
      LOG.warn(
          "planning - round {} lists wards in which council {} has no bins: {}",
          round.name(),
          council.slug(),
          unknown);
    }
  }

  private static PlanStop stop(int no, SelectedBin b, String vehicle, Integer order, Instant eta) {
    BinState bin = b.bin();
    return new PlanStop(
        no,
        bin.assetPk(),
        bin.assetRef(),
        bin.name(),
        bin.street(),
        bin.ward(),
        bin.latitude(),
        bin.longitude(),
        vehicle,
        order,
        eta,
        b.litres(),
        b.predictedFillPct(),
        b.reasons(),
        vehicle == null ? "unassigned" : "planned",
        null,
        null);
  }
}
