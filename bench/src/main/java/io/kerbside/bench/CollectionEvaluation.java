package io.kerbside.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.bench.collect.BinTally;
import io.kerbside.bench.collect.RoundFigures;
import io.kerbside.bench.db.ScratchDatabase;
import io.kerbside.bench.process.IngestChild;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Secret;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import io.kerbside.planning.CollectionPlan;
import io.kerbside.planning.CollectionPlanner;
import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.PlanningMetrics;
import io.kerbside.planning.Reason;
import io.kerbside.planning.VehicleRoute;
import io.kerbside.planning.route.RoutePlanner;
import io.kerbside.planning.select.BinState;
import io.kerbside.planning.select.SelectedBin;
import io.kerbside.planning.store.PlanRepository;
import io.kerbside.planning.write.PlanFormats;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRegistry;
import io.kerbside.registry.ImportReport;
import io.kerbside.sim.Checkpoints;
import io.kerbside.sim.PlannedCollections;
import io.kerbside.sim.ProgressListener;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.Simulation;
import io.kerbside.sim.TownExport;
import io.kerbside.sim.plan.PlanFile;
import io.kerbside.sim.plan.PlanFiles;
import io.kerbside.sim.publish.MessageSink;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.BinDetails;
import io.kerbside.sim.town.Town;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The collection evaluation ({@code scripts/collection-eval.sh}, docs/planning.md): the same seeded
 * town of bins for a week, (a) emptied by its fixed rounds and (b) emptied as Kerbside plans each
 * day from what the sensors reported, and one table of lifts, route km, bin-hours overflowing,
 * worst fill and planning time.
 *
 * <p>In (b) the simulator publishes through the MQTT broker to a real Kerbside ingest (the
 * distribution jar, a child process) writing to a scratch database; at 05:00 each day the
 * simulation pauses until ingest has stored every reading sent, the planner (the same {@link
 * CollectionPlanner} as {@code kerbside plan collections}, its clock at that simulated instant)
 * plans the day from the database, the plan is written as CSV and read back by the simulator as
 * {@code --collections-from} reads it, and the day runs. Both runs first warm up on the fixed
 * rounds, so that the sensors have a history when planning starts. Route km of (a) are the fixed
 * rounds' bins of each day routed by the same planner and travel model.
 */
@Command(
    name = "collection-eval",
    mixinStandardHelpOptions = true,
    description = "Fixed collection rounds against planned ones in the simulated town.")
public final class CollectionEvaluation implements Callable<Integer> {
  private static final ZoneId ZONE = ZoneId.of("Europe/London");
  private static final double BIN_SHARE = 0.35;

  @Option(names = "--bins", defaultValue = "300", description = "Bins. Default: ${DEFAULT-VALUE}")
  int bins;

  @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(
      names = "--start",
      defaultValue = "2026-11-02T05:00",
      description = "First measured day's 05:00, local (London). Default: ${DEFAULT-VALUE}")
  LocalDateTime start;

  @Option(names = "--days", defaultValue = "7", description = "Default: ${DEFAULT-VALUE}")
  int days;

  @Option(
      names = "--warm-up-days",
      defaultValue = "2",
      description = "Days on the fixed rounds before the measured ones. Default: ${DEFAULT-VALUE}")
  int warmUpDays;

  @Option(
      names = "--planning-config",
      description = "Planning file (vehicles, rounds); default: generated, see the output")
  Path planningConfig;

  @Option(
      names = "--on-schedule-days",
      description =
          "In the generated planning file, keep the bins' collection days (selection"
              + " on_schedule_days: true); default: off, as in Kerbside's defaults")
  boolean onScheduleDays;

  @Option(
      names = "--area-days",
      description =
          "In the generated planning file, rounds by area: the town's outer wards in as many"
              + " groups as day lists given (groups of neighbouring wards, round the centre),"
              + " each group emptied on its days and the centre ward every day, e.g."
              + " 'mon,thu;tue,fri'; default: one round of every ward every day")
  String areaDays;

  @Option(
      names = "--usage-spread",
      defaultValue = "0.2",
      description =
          "How unevenly the bins of a street are used: the standard deviation of the log of each"
              + " bin's own fill-rate factor, the town's total rubbish unchanged (0 to 2;"
              + " see docs/simulator.md). Default: ${DEFAULT-VALUE}")
  double usageSpread;

  @Option(
      names = "--db-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:54317/postgres",
      description = "Admin JDBC URL of the cluster. Default: ${DEFAULT-VALUE}")
  String dbUrl;

  @Option(names = "--db-user", defaultValue = "postgres", description = "Default: postgres")
  String dbUser;

  @Option(
      names = "--mqtt-url",
      defaultValue = "tcp://127.0.0.1:1883",
      description = "Broker. Default: ${DEFAULT-VALUE}")
  String mqttUrl;

  @Option(
      names = "--jar",
      defaultValue = "app/target/kerbside.jar",
      description = "Kerbside distribution jar run as ingest. Default: ${DEFAULT-VALUE}")
  Path jar;

  @Option(
      names = "--out",
      defaultValue = "target/collection-eval",
      description = "Ground truths, plans, logs. Default: ${DEFAULT-VALUE}")
  Path out;

  @Option(names = "--keep", description = "Keep the scratch database")
  boolean keep;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CollectionEvaluation()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (bins < 1 || days < 1 || warmUpDays < 0) {
      throw new BenchmarkException("--bins and --days must be at least 1, --warm-up-days 0");
    }
    Files.createDirectories(out);
    Instant measureFrom = start.atZone(ZONE).toInstant();
    Instant simStart = start.minusDays(warmUpDays).atZone(ZONE).toInstant();
    Instant measureUntil = start.plusDays(days).atZone(ZONE).toInstant();
    Town town = town();
    PlanningConfig config = planningConfig(town);
    System.out.printf(
        Locale.ROOT,
        "collection-eval: %,d bins, seed %d, usage spread %.2f, measured %s to %s (%s), %d"
            + " warm-up day(s) on the fixed rounds%n",
        town.size(),
        seed,
        usageSpread,
        start,
        start.plusDays(days),
        ZONE,
        warmUpDays);

    RoundFigures fixed = fixedRounds(town, config, simStart, measureFrom, measureUntil);
    RoundFigures planned = plannedRounds(town, config, simStart, measureFrom, measureUntil);

    String table =
        RoundFigures.table(fixed, planned) + "\n" + RoundFigures.halfTheLifts(fixed, planned);
    System.out.println();
    System.out.print(table);
    Files.writeString(out.resolve("table-" + bins + ".md"), table, StandardCharsets.UTF_8);
    return 0;
  }

  /** Devices for a town of exactly {@code bins} bins (a town is about 35 % bins). */
  private SimConfig.Builder simConfig(Instant simStart, Instant until) {
    int devices = (int) Math.ceil((bins - 0.5) / BIN_SHARE);
    return SimConfig.builder()
        .devices(devices)
        .binsOnly(true)
        .scenario(Scenario.COLLECTION_WEEK)
        .binUsageSpread(usageSpread)
        .seed(seed)
        .speed(0)
        .start(simStart)
        .duration(Duration.between(simStart, until));
  }

  private Town town() {
    Instant s = start.atZone(ZONE).toInstant();
    Town town =
        Simulation.create(
                simConfig(s, s.plusSeconds(3600))
                    .publish(PublishOptions.builder().brokerUrl(mqttUrl).build())
                    .build())
            .town();
    if (town.size() != bins) {
      throw new BenchmarkException("a town for " + bins + " bins has " + town.size());
    }
    return town;
  }

  private PlanningConfig planningConfig(Town town) throws IOException {
    String yaml;
    String source;
    if (planningConfig != null) {
      yaml = Files.readString(planningConfig);
      source = planningConfig.toString();
    } else {
      yaml =
          areaDays == null
              ? generatedConfig(bins, onScheduleDays)
              : AreaRounds.of(town, areaDays).config(bins, onScheduleDays);
      Path file = out.resolve("planning-" + bins + ".yaml");
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
      source = file.toString();
    }
    System.out.println("collection-eval: planning file " + source);
    return PlanningConfig.parse(yaml, source);
  }

  /**
   * One round a day, 06:00-15:00 as the fixed rounds, with a vehicle for every 150 bins of the town
   * (at least 2) from a depot at the town's centre; on_schedule_days as given, every other setting
   * at its default.
   */
  static String generatedConfig(int bins, boolean onScheduleDays) {
    StringBuilder y = new StringBuilder();
    List<String> names = header(y, bins, onScheduleDays);
    y.append("rounds:\n  - {name: daily, start: \"06:00\", end: \"15:00\", vehicles: [")
        .append(String.join(", ", names))
        .append("]}\n");
    return y.toString();
  }

  /**
   * The generated file's settings and vehicles: a vehicle of 40,000 litres for every 150 bins (at
   * least 2) from a depot at the town's centre, shifts 05:30-15:30; returns the vehicles' names.
   */
  static List<String> header(StringBuilder y, int bins, boolean onScheduleDays) {
    int vehicles = Math.max(2, (bins + 149) / 150);
    y.append("# generated by the collection evaluation for ").append(bins).append(" bins\n");
    y.append("zone: Europe/London\n");
    y.append("selection: {on_schedule_days: ").append(onScheduleDays).append("}\n");
    y.append("vehicles:\n");
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= vehicles; i++) {
      String name = "rcv-" + i;
      names.add(name);
      y.append("  - {name: ")
          .append(name)
          .append(", capacity_l: 40000, shift_start: \"05:30\", shift_end: \"15:30\",")
          .append(" depot: {lat: 52.2053, lon: 0.1218}}\n");
    }
    return names;
  }

  /** (a): the simulator's own fixed rounds; km: each day's scheduled bins, routed. */
  private RoundFigures fixedRounds(
      Town town, PlanningConfig config, Instant simStart, Instant from, Instant until)
      throws Exception {
    System.out.println("collection-eval: (a) fixed rounds - simulating the week");
    Path truth = out.resolve("fixed-" + bins + ".jsonl");
    Simulation sim =
        Simulation.create(
            simConfig(simStart, until)
                .publish(PublishOptions.builder().brokerUrl(mqttUrl).build())
                .groundTruthFile(truth)
                .build());
    sim.run(ProgressListener.none(), new DiscardingSink());
    BinTally tally = BinTally.of(truth, from, until);
    PlanningConfig.Round round = config.rounds().get(0);
    double km = 0;
    int unassigned = 0;
    for (int d = 0; d < days; d++) {
      LocalDate date = start.toLocalDate().plusDays(d);
      List<SelectedBin> scheduled = new ArrayList<>();
      for (Asset a : town.assets()) {
        BinDetails b = a.bin();
        if (b.collectionDays().contains(date.getDayOfWeek())) {
          scheduled.add(
              new SelectedBin(
                  new BinState(
                      a.index(),
                      a.assetRef(),
                      a.assetRef(),
                      a.street(),
                      a.ward(),
                      a.location().latitude(),
                      a.location().longitude(),
                      b.capacityL(),
                      b.collectionDays(),
                      List.of(),
                      Set.of()),
                  List.of(Reason.SCHEDULE),
                  Double.NaN,
                  b.capacityL()));
        }
      }
      RoutePlanner.Routes routes =
          new RoutePlanner(config, date.toEpochDay()).plan(scheduled, round, date);
      double dayKm = routes.routes().stream().mapToDouble(RoutePlanner.Route::km).sum();
      km += dayKm;
      unassigned += routes.unassigned().size();
      System.out.printf(
          Locale.ROOT,
          "  %s %s: %d bins on the fixed rounds, %.1f km routed, %d unassigned%n",
          date,
          date.getDayOfWeek(),
          scheduled.size(),
          dayKm,
          routes.unassigned().size());
    }
    return new RoundFigures("(a) fixed rounds", tally, km, unassigned, List.of());
  }

  /** (b): the town reports to Kerbside, which plans every day's round. */
  private RoundFigures plannedRounds(
      Town town, PlanningConfig config, Instant simStart, Instant from, Instant until)
      throws Exception {
    System.out.println("collection-eval: (b) planned rounds - ingest, plan each day, simulate");
    String password = System.getenv().getOrDefault("PGPASSWORD", "");
    String name = "kerbside_collection_eval_" + bins + "_" + ProcessHandle.current().pid();
    ScratchDatabase db = ScratchDatabase.create(dbUrl, dbUser, password, name);
    String root = "kerbside-eval-" + ProcessHandle.current().pid();
    Map<String, String> env = new TreeMap<>();
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", dbUser);
    if (!password.isEmpty()) {
      env.put("KERBSIDE_DB_PASSWORD", password);
    }
    env.put("KERBSIDE_MQTT_URL", mqttUrl);
    env.put("KERBSIDE_MQTT_CLIENT_ID", root + "-ingest");
    env.put("KERBSIDE_HTTP_HOST", "127.0.0.1");
    env.put("KERBSIDE_HTTP_PORT", Integer.toString(freePort()));
    env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", root + "/+/+=native@default");
    Path plans = Files.createDirectories(out.resolve("plans-" + bins));
    try (IngestChild ingest =
        IngestChild.start(jar, List.of("-Xmx512m"), env, out.resolve("ingest-" + bins + ".log"))) {
      ingest.awaitReady(Duration.ofMinutes(2));
      DatabaseConfig dbConfig =
          new DatabaseConfig(
              db.url(),
              dbUser,
              password.isEmpty() ? Secret.empty() : Secret.of(password),
              4,
              DatabaseConfig.StorageChoice.AUTO,
              395,
              false,
              7);
      try (HikariDataSource ds = DataSources.open(dbConfig, "collection-eval", null)) {
        CouncilRef council = new Councils(ds).find("default").orElseThrow();
        register(ds, council, town);
        PlannedCollections collections = new PlannedCollections(council.slug());
        collections.add(fixedCollections(town, simStart, from));
        Path truth = out.resolve("planned-" + bins + ".jsonl");
        Simulation sim =
            Simulation.create(
                simConfig(simStart, until)
                    .publish(
                        PublishOptions.builder()
                            .brokerUrl(mqttUrl)
                            .topicPrefix(root)
                            .clientIdPrefix(root + "-sim")
                            .qos(1)
                            .build())
                    .groundTruthFile(truth)
                    .collections(collections)
                    .build());
        List<Instant> days5am = new ArrayList<>();
        for (int d = 0; d < days; d++) {
          days5am.add(start.plusDays(d).atZone(ZONE).toInstant());
        }
        DailyPlanning planning =
            new DailyPlanning(ds, council, config, collections, plans, ingest, days5am);
        SimReport report = sim.run(ProgressListener.none(), planning);
        if (report.failed() > 0) {
          throw new BenchmarkException(report.failed() + " readings were not confirmed");
        }
        BinTally tally = BinTally.of(truth, from, until);
        return new RoundFigures(
            "(b) planned by Kerbside",
            tally,
            planning.km,
            planning.unassigned,
            planning.planSeconds);
      }
    } finally {
      if (!keep) {
        db.drop();
      } else {
        System.out.println("collection-eval: kept database " + db.name());
      }
    }
  }

  /** At each day's 05:00: waits for ingest, plans the day, hands the plan to the simulator. */
  private final class DailyPlanning implements Checkpoints {
    private final HikariDataSource ds;
    private final CouncilRef council;
    private final PlanningConfig config;
    private final PlannedCollections collections;
    private final Path plans;
    private final IngestChild ingest;
    private final List<Instant> instants;
    double km;
    int unassigned;
    final List<Double> planSeconds = new ArrayList<>();

    DailyPlanning(
        HikariDataSource ds,
        CouncilRef council,
        PlanningConfig config,
        PlannedCollections collections,
        Path plans,
        IngestChild ingest,
        List<Instant> instants) {
      this.ds = ds;
      this.council = council;
      this.config = config;
      this.collections = collections;
      this.plans = plans;
      this.ingest = ingest;
      this.instants = instants;
    }

    @Override
    public List<Instant> instants() {
      return instants;
    }

    @Override
    public void reached(Instant at, long readings) throws InterruptedException {
      try {
        awaitStored(readings);
        LocalDate date = at.atZone(ZONE).toLocalDate();
        CollectionPlanner planner =
            new CollectionPlanner(
                config, new PlanRepository(ds), new PlanningMetrics(null), Clock.fixed(at, ZONE));
        long t0 = System.nanoTime();
        List<CollectionPlan> made =
            planner.plan(council, date, Optional.empty(), "cli:collection-eval");
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!made.isEmpty()) {
          planSeconds.add(seconds);
        }
        for (CollectionPlan p : made) {
          Path file =
              plans.resolve("plan-" + p.council() + "-" + p.date() + "-" + p.round() + ".csv");
          Files.writeString(file, PlanFormats.csv(p), StandardCharsets.UTF_8);
          PlanFile read = PlanFiles.read(file);
          collections.add(read);
          double dayKm = p.routes().stream().mapToDouble(VehicleRoute::km).sum();
          km += dayKm;
          unassigned += p.unassigned().size();
          System.out.printf(
              Locale.ROOT,
              "  %s %s: %,d readings stored; planned %d of %d bins (%d unassigned), %.1f km,"
                  + " in %.1f s%n",
              date,
              date.getDayOfWeek(),
              readings,
              p.stops().size(),
              p.binsConsidered(),
              p.unassigned().size(),
              dayKm,
              seconds);
        }
      } catch (java.sql.SQLException | IOException e) {
        throw new BenchmarkException("planning " + at + " failed: " + e, e);
      }
    }

    /** Waits until ingest has stored {@code readings} readings. */
    private void awaitStored(long readings) throws InterruptedException, java.sql.SQLException {
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      long stored = 0;
      while (System.nanoTime() < deadline) {
        ingest.requireAlive("while storing the day's readings");
        try (Connection c = ds.getConnection();
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*) FROM reading")) {
          rs.next();
          stored = rs.getLong(1);
        }
        if (stored >= readings) {
          return;
        }
        Thread.sleep(200);
      }
      throw new BenchmarkException(
          "ingest stored " + stored + " of " + readings + " readings in 10 minutes");
    }
  }

  /** The fixed rounds of the warm-up, as a plan, so both runs begin alike. */
  private static PlanFile fixedCollections(Town town, Instant from, Instant until) {
    List<PlanFile.Stop> stops = new ArrayList<>();
    LocalDate first = from.atZone(ZONE).toLocalDate();
    for (LocalDate d = first; !d.atStartOfDay(ZONE).toInstant().isAfter(until); d = d.plusDays(1)) {
      for (Asset a : town.assets()) {
        BinDetails b = a.bin();
        Instant at = d.atTime(b.collectionTime()).atZone(ZONE).toInstant();
        if (b.collectionDays().contains(d.getDayOfWeek())
            && at.isAfter(from)
            && at.isBefore(until)) {
          stops.add(new PlanFile.Stop(a.assetRef(), at));
        }
      }
    }
    return new PlanFile("the warm-up's fixed rounds", "default", first, "warm-up", stops);
  }

  private static void register(HikariDataSource ds, CouncilRef council, Town town)
      throws Exception {
    StringWriter list = new StringWriter();
    TownExport.writeCsv(town, list);
    ImportReport report =
        new AssetRegistry(ds)
            .importList(council, AssetFormat.CSV, new StringReader(list.toString()));
    System.out.printf(
        Locale.ROOT,
        "  town registered: %d assets (%d bins)%n",
        report.inserted(),
        town.count(DeviceKind.BIN));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Takes every message and sends nothing: run (a) needs only its ground truth. */
  private static final class DiscardingSink implements MessageSink {
    private long sent;

    @Override
    public void open() {}

    @Override
    public boolean send(int device, String topic, byte[] payload) {
      sent++;
      return true;
    }

    @Override
    public void drain(Duration timeout) {}

    @Override
    public void abort() {}

    @Override
    public long sent() {
      return sent;
    }

    @Override
    public long failed() {
      return 0;
    }

    @Override
    public long failed(int device) {
      return 0;
    }

    @Override
    public void close() {}
  }
}
