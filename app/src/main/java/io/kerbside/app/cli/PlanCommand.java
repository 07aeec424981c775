package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import io.kerbside.planning.CollectionPlan;
import io.kerbside.planning.CollectionPlanner;
import io.kerbside.planning.PlanStop;
import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.PlanningMetrics;
import io.kerbside.planning.Reason;
import io.kerbside.planning.VehicleRoute;
import io.kerbside.planning.report.BinRationalisation;
import io.kerbside.planning.report.RationalisationConfig;
import io.kerbside.planning.report.RationalisationFormats;
import io.kerbside.planning.report.RationalisationReport;
import io.kerbside.planning.store.PlanRepository;
import io.kerbside.planning.store.StopActionException;
import io.kerbside.planning.write.PlanFormats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Plans bin collection rounds from what the sensors report (docs/planning.md), and reports"
            + " which bins to remove, move, upsize or rebalance (docs/rationalisation.md).",
    subcommands = {
      PlanCommand.Collections.class,
      PlanCommand.Emptied.class,
      PlanCommand.Rationalise.class
    })
final class PlanCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static CouncilRef council(HikariDataSource ds, String slug) throws java.sql.SQLException {
    return new Councils(ds)
        .find(slug)
        .orElseThrow(() -> new ConfigException("no council '" + slug + "'"));
  }

  @Command(
      name = "collections",
      mixinStandardHelpOptions = true,
      description =
          "Selects the bins to empty, routes the round's vehicles, stores the plan, prints it and"
              + " writes it as CSV, GeoJSON and GPX.")
  static final class Collections implements Callable<Integer> {
    @Option(
        names = "--council",
        defaultValue = "default",
        description = "Default: ${DEFAULT-VALUE}")
    String council;

    @Option(names = "--date", description = "The plan's date (YYYY-MM-DD). Default: today")
    String date;

    @Option(names = "--round", description = "Only this round (even on a day it does not run)")
    String round;

    @Option(
        names = {"-o", "--out"},
        defaultValue = ".",
        description = "Directory for the CSV, GeoJSON and GPX files. Default: ${DEFAULT-VALUE}")
    Path out;

    @Option(
        names = "--by",
        description = "Who plans, recorded as cli:<NAME>. Default: the login name")
    String by;

    @Override
    public Integer call() throws Exception {
      Settings settings = Settings.fromEnvironment();
      PlanningConfig config =
          PlanningConfig.from(settings)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          PlanningConfig.FILE
                              + " is not set: name the planning file (vehicles and rounds;"
                              + " see docs/planning.md)"));
      LocalDate day;
      try {
        day = date == null ? LocalDate.now(config.zone()) : LocalDate.parse(date);
      } catch (DateTimeParseException e) {
        throw new ConfigException("--date must be a date like 2026-11-30, got '" + date + "'");
      }
      String actor = AlertsCommand.actor(by, System.getProperty("user.name"));
      DatabaseConfig db = DatabaseConfig.from(settings);
      try (HikariDataSource ds = DataSources.open(db, "plan-cli", null)) {
        CouncilRef ref = council(ds, council);
        PlanRepository repo = new PlanRepository(ds);
        CollectionPlanner planner =
            new CollectionPlanner(config, repo, new PlanningMetrics(null), Clock.systemUTC());
        List<CollectionPlan> plans;
        try {
          plans = planner.plan(ref, day, Optional.ofNullable(round), actor);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(e.getMessage());
        }
        if (plans.isEmpty()) {
          System.out.println(
              "no round of " + council + " runs on " + day + " (" + day.getDayOfWeek() + ")");
          return 0;
        }
        Files.createDirectories(out);
        for (CollectionPlan p : plans) {
          print(p);
          String base = "plan-" + p.council() + "-" + p.date() + "-" + p.round();
          write(out.resolve(base + ".csv"), PlanFormats.csv(p));
          write(out.resolve(base + ".geojson"), PlanFormats.geoJson(p));
          write(out.resolve(base + ".gpx"), PlanFormats.gpx(p));
          System.out.println("written: " + out.resolve(base) + ".{csv,geojson,gpx}");
        }
        return 0;
      }
    }

    private static void write(Path file, String text) throws java.io.IOException {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
  }

  static void print(CollectionPlan p) {
    System.out.printf(
        Locale.ROOT,
        "plan %d - %s %s round %s: %d stops from %d bins (planned in %d ms)%n",
        p.id(),
        p.council(),
        p.date(),
        p.round(),
        p.stops().size(),
        p.binsConsidered(),
        p.solveMs());
    for (VehicleRoute r : p.routes()) {
      System.out.printf(
          Locale.ROOT,
          "%n%s: %d stops, %.1f km, %.0f of %d l, %s - %s%n",
          r.vehicle(),
          r.stops(),
          r.km(),
          r.litres(),
          r.capacityL(),
          r.start(),
          r.end());
      for (PlanStop s : p.stopsOf(r.vehicle())) {
        System.out.println(line(s));
      }
    }
    List<PlanStop> left = p.unassigned();
    if (!left.isEmpty()) {
      System.out.printf(
          Locale.ROOT, "%nunassigned (no vehicle could take them): %d%n", left.size());
      left.forEach(s -> System.out.println(line(s)));
    }
  }

  private static String line(PlanStop s) {
    return String.format(
        Locale.ROOT,
        "  %4d  %-3s %-20s %-24s %6.0f l %5s %%  %s",
        s.stopNo(),
        s.routeOrder() == null ? "-" : s.routeOrder().toString(),
        s.eta() == null ? "-" : s.eta().toString(),
        s.assetRef(),
        s.litres(),
        Double.isNaN(s.predictedFillPct())
            ? "?"
            : String.format(Locale.ROOT, "%.0f", s.predictedFillPct()),
        String.join(" ", s.reasons().stream().map(Reason::code).toList()));
  }

  @Command(
      name = "emptied",
      mixinStandardHelpOptions = true,
      description =
          "Marks a stop of a collection plan emptied and resolves the bin's open bin-full and"
              + " bin-not-collected alerts.")
  static final class Emptied implements Callable<Integer> {
    @Option(
        names = "--council",
        defaultValue = "default",
        description = "Default: ${DEFAULT-VALUE}")
    String council;

    @Parameters(index = "0", description = "The plan's id")
    long plan;

    @Parameters(index = "1", description = "The stop's number in the plan")
    int stop;

    @Option(
        names = "--by",
        description = "Who emptied it, recorded as cli:<NAME>. Default: the login name")
    String by;

    @Override
    public Integer call() throws Exception {
      String actor = AlertsCommand.actor(by, System.getProperty("user.name"));
      DatabaseConfig db = DatabaseConfig.from(Settings.fromEnvironment());
      try (HikariDataSource ds = DataSources.open(db, "plan-cli", null)) {
        CouncilRef ref = council(ds, council);
        try {
          PlanRepository.Emptied e = new PlanRepository(ds).markEmptied(ref, plan, stop, actor);
          System.out.printf(
              Locale.ROOT,
              "plan %d stop %d (%s) emptied by %s at %s; alerts resolved: %s%n",
              plan,
              stop,
              e.stop().assetRef(),
              e.stop().emptiedBy(),
              e.stop().emptiedAt(),
              e.resolvedAlerts().isEmpty() ? "none" : e.resolvedAlerts());
          return 0;
        } catch (StopActionException e) {
          System.err.println("kerbside: " + e.getMessage());
          return e.reason() == StopActionException.Reason.NOT_FOUND ? 4 : 5;
        }
      }
    }
  }

  @Command(
      name = "rationalise",
      mixinStandardHelpOptions = true,
      description =
          "Reports each bin's lifts, fill at emptying, hours overflowing and fill rate by weekday"
              + " over the last weeks, and whether to remove or move it, upsize it or add a lift,"
              + " rebalance its street, or keep it (docs/rationalisation.md).")
  static final class Rationalise implements Callable<Integer> {
    @Option(
        names = "--council",
        defaultValue = "default",
        description = "Default: ${DEFAULT-VALUE}")
    String council;

    @Option(
        names = "--weeks",
        description =
            "Weeks up to now the report covers (1 to "
                + RationalisationConfig.MAX_WEEKS
                + "). Default: "
                + RationalisationConfig.WEEKS
                + ", else 4")
    Integer weeks;

    @Option(names = "--csv", description = "Also write the report to this CSV file")
    Path csv;

    @Override
    public Integer call() throws Exception {
      Settings settings = Settings.fromEnvironment();
      RationalisationConfig config = RationalisationConfig.from(settings);
      int n = weeks == null ? config.weeks() : weeks;
      if (n < 1 || n > RationalisationConfig.MAX_WEEKS) {
        throw new ConfigException(
            "--weeks must be between 1 and " + RationalisationConfig.MAX_WEEKS + ", got " + n);
      }
      DatabaseConfig db = DatabaseConfig.from(settings);
      try (HikariDataSource ds = DataSources.open(db, "plan-cli", null)) {
        CouncilRef ref = council(ds, council);
        RationalisationReport report =
            new BinRationalisation(config, ds, Clock.systemUTC()).report(ref, n);
        System.out.print(RationalisationFormats.table(report));
        if (csv != null) {
          Path parent = csv.toAbsolutePath().getParent();
          if (parent != null) {
            Files.createDirectories(parent);
          }
          Files.writeString(csv, RationalisationFormats.csv(report), StandardCharsets.UTF_8);
          System.out.println("written: " + csv);
        }
        return 0;
      }
    }
  }
}
