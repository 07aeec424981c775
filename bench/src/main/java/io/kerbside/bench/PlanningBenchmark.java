package io.kerbside.bench;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.bins.FillPrediction;
import io.kerbside.planning.CollectionPlan;
import io.kerbside.planning.CollectionPlanner;
import io.kerbside.planning.PlanStop;
import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.PlanningMetrics;
import io.kerbside.planning.VehicleRoute;
import io.kerbside.planning.select.BinState;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * How long collection planning takes for a town: {@code --bins} bins (default 2,000) scattered over
 * about 6 x 6 km, each with half a day of fill readings and predicted over the threshold, routed
 * for {@code --vehicles} vehicles (default 5) from one depot. Times selection plus routing (the
 * database is not involved) {@code --repeat} times and prints the figures. Run by {@code
 * scripts/bench.sh planning}; see docs/planning.md.
 */
public final class PlanningBenchmark {
  private PlanningBenchmark() {}

  public static void main(String[] args) {
    int bins = 2000;
    int vehicles = 5;
    int repeat = 3;
    int maxSolveS = 6;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bins" -> bins = Integer.parseInt(args[++i]);
        case "--vehicles" -> vehicles = Integer.parseInt(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--max-solve-s" -> maxSolveS = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: PlanningBenchmark [--bins N] [--vehicles N] [--repeat N] [--max-solve-s S]");
          System.exit(2);
        }
      }
    }
    LocalDate date = LocalDate.parse("2026-11-30");
    Instant now = Instant.parse("2026-11-30T05:00:00Z");
    // litres per vehicle: the town's bins at 95 % with a quarter to spare
    int capacity = (int) Math.ceil(bins * 120 * 0.95 * 1.25 / vehicles);
    PlanningConfig config = config(vehicles, capacity, maxSolveS);
    List<BinState> town = town(bins, now, 42);
    CollectionPlanner planner =
        new CollectionPlanner(config, null, new PlanningMetrics(null), java.time.Clock.systemUTC());
    CouncilRef council = new CouncilRef(1, "bench-town");
    System.out.printf(
        Locale.ROOT,
        "planning benchmark: %d bins, %d vehicles of %d l, %d available processors,"
            + " solver budget %d iterations / %d s%n",
        bins,
        vehicles,
        capacity,
        Runtime.getRuntime().availableProcessors(),
        config.solver().iterations(),
        maxSolveS);
    for (int run = 1; run <= repeat; run++) {
      long t0 = System.nanoTime();
      CollectionPlan plan =
          planner.plan(council, town, config.round("daily").orElseThrow(), date, now, "bench");
      double seconds = (System.nanoTime() - t0) / 1e9;
      double km = plan.routes().stream().mapToDouble(VehicleRoute::km).sum();
      double maxLoad =
          plan.routes().stream().mapToDouble(r -> r.litres() / r.capacityL()).max().orElse(0);
      Instant lastBack =
          plan.routes().stream().map(VehicleRoute::end).max(Instant::compareTo).orElse(now);
      long routed = plan.stops().stream().filter(s -> s.vehicle() != null).count();
      System.out.printf(
          Locale.ROOT,
          "run %d: %.2f s, %d stops routed, %d unassigned, %.1f km, fullest vehicle %.0f %%,"
              + " last back at %s%n",
          run,
          seconds,
          routed,
          plan.stops().size() - routed,
          km,
          maxLoad * 100,
          lastBack);
      for (VehicleRoute r : plan.routes()) {
        System.out.printf(
            Locale.ROOT,
            "  %s: %d stops, %.1f km, %.0f l, %s - %s%n",
            r.vehicle(),
            r.stops(),
            r.km(),
            r.litres(),
            r.start(),
            r.end());
      }
      if (plan.stops().stream().map(PlanStop::assetPk).distinct().count() != plan.stops().size()) {
        throw new IllegalStateException("a bin is on two routes");
      }
    }
  }

  private static PlanningConfig config(int vehicles, int capacity, int maxSolveS) {
    StringBuilder y =
        new StringBuilder(
            "zone: Europe/London\n"
                + "travel: {detour_factor: 1.3, speed_kmh: 20, service_s: 30}\n"
                + "solver: {iterations: 2000, max_solve_s: "
                + maxSolveS
                + ", threads: 2}\nvehicles:\n");
    StringBuilder names = new StringBuilder();
    for (int i = 1; i <= vehicles; i++) {
      y.append(
          String.format(
              Locale.ROOT,
              "  - {name: rcv-%d, capacity_l: %d, shift_start: \"06:00\", shift_end: \"16:00\","
                  + " depot: {lat: 52.2053, lon: 0.1218}}%n",
              i,
              capacity));
      names.append(i == 1 ? "" : ", ").append("rcv-").append(i);
    }
    y.append("rounds:\n  - {name: daily, start: \"06:00\", end: \"16:00\", vehicles: [")
        .append(names)
        .append("]}\n");
    return PlanningConfig.parse(y.toString(), "benchmark");
  }

  /** Bins over about 6 x 6 km, each read every 30 minutes for 12 hours, filling towards 90 %. */
  private static List<BinState> town(int n, Instant now, long seed) {
    Random r = new Random(seed);
    List<BinState> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double end = 80 + r.nextDouble() * 15;
      double perHour = 1 + r.nextDouble() * 2;
      List<FillPrediction.Point> fill = new ArrayList<>();
      for (int k = 24; k >= 0; k--) {
        fill.add(
            new FillPrediction.Point(
                now.minus(Duration.ofMinutes(30L * k)), Math.max(0, end - perHour * k / 2.0)));
      }
      out.add(
          new BinState(
              i + 1,
              String.format(Locale.ROOT, "BENCH/%05d", i + 1),
              null,
              null,
              null,
              52.2053 + (r.nextDouble() - 0.5) * 0.054,
              0.1218 + (r.nextDouble() - 0.5) * 0.088,
              120,
              Set.of(DayOfWeek.MONDAY),
              fill,
              Set.of()));
    }
    return out;
  }
}
