package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.api.auth.CrewLinks;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.app.demo.DemoEnvironment;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRegistry;
import io.kerbside.registry.ImportReport;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.Simulation;
import io.kerbside.sim.TownExport;
import io.kerbside.worklists.WorklistsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs Kerbside end to end on one machine: a database, an MQTT broker, the ingest service and"
          + " a simulated town publishing readings. Ctrl-C stops everything.",
      "",
      "With nothing installed it starts an embedded PostgreSQL and an embedded MQTT broker whose"
          + " data persist in --data-dir between runs. When KERBSIDE_DB_URL or KERBSIDE_MQTT_URL"
          + " is set, that database or broker is used instead.",
      "",
      "Everything listens on 127.0.0.1 only. The broker takes MQTT 3.1.1 and MQTT 5 clients"
          + " without credentials or a client id, e.g."
          + " mosquitto_pub -p 11883 -t kerbside/bin/my-bin -m '{\"fill_pct\":90}'.",
      ""
    },
    footerHeading = "%nPointing a Grafana at the demo%n",
    footer = {
      "Grafana's provisioning files in grafana/provisioning read their settings from Grafana's"
          + " environment. For the demo's embedded database (the start banner prints the same):",
      "",
      "  KERBSIDE_GRAFANA_DB_HOST=127.0.0.1:15432   (--db-port)",
      "  KERBSIDE_GRAFANA_DB_NAME=postgres",
      "  KERBSIDE_GRAFANA_DB_USER=grafana",
      "  KERBSIDE_GRAFANA_DB_PASSWORD=grafana",
      "  KERBSIDE_GRAFANA_DB_SSLMODE=disable",
      "  KERBSIDE_GRAFANA_PROMETHEUS_URL=http://127.0.0.1:9090",
      "  KERBSIDE_GRAFANA_DASHBOARDS_DIR=<this checkout>/grafana/dashboards",
      "",
      "The user grafana is a read-only login in the role kerbside_grafana that the demo creates"
          + " on its embedded database. The Prometheus is one of yours scraping the /metrics"
          + " address the banner prints (grafana/prometheus/prometheus.yml is an example);"
          + " without it only the Prometheus-based ingest panels stay empty.",
      "",
      "then copy grafana/provisioning/datasources/kerbside.yaml and"
          + " grafana/provisioning/dashboards/kerbside.yaml into Grafana's provisioning folders"
          + " (e.g. /etc/grafana/provisioning/datasources and .../dashboards), set timescaledb:"
          + " false in the data source file (the embedded PostgreSQL has no TimescaleDB), and"
          + " restart Grafana: the dashboards appear in the folder Kerbside. Grafana must run on"
          + " this machine, since the demo listens on 127.0.0.1 only. Without provisioning, add a"
          + " PostgreSQL data source with the same host, database, user and password in Grafana's"
          + " settings and import the JSON files from grafana/dashboards.",
      "",
      "With KERBSIDE_DB_URL set, use that database and a login of yours in the role"
          + " kerbside_grafana (CREATE ROLE grafana LOGIN PASSWORD '...' IN ROLE kerbside_grafana)."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--devices",
      defaultValue = "200",
      description = "Devices in the simulated town (default ${DEFAULT-VALUE}).")
  int devices;

  @Option(
      names = "--scenario",
      defaultValue = "collection-day",
      description = "quiet-day, winter-night, collection-day or chaos (default ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = "--speed",
      defaultValue = "60",
      description =
          "Simulated seconds per real second; 0 = as fast as possible (default ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--duration",
      defaultValue = "7d",
      description = "Simulated time to run, e.g. 2h, 1d (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the town and its faults (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--data-dir",
      description =
          "Where the embedded services keep their data (default $KERBSIDE_DEMO_DIR or ~/.kerbside/demo).")
  Path dataDir;

  @Option(names = "--fresh", description = "Delete the embedded services' data first.")
  boolean fresh;

  @Option(
      names = "--mqtt-port",
      defaultValue = "11883",
      description =
          "Port of the embedded MQTT broker; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int mqttPort;

  @Option(
      names = "--db-port",
      defaultValue = "15432",
      description =
          "Port of the embedded PostgreSQL; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int dbPort;

  @Option(
      names = "--no-opening-faults",
      description =
          "Only the scenario's own faults. By default a bin is knocked over, a bin catches fire, a"
              + " device goes silent and a lamp fails in the first simulated minutes, so the first"
              + " alerts appear within a minute.")
  boolean noOpeningFaults;

  @Option(
      names = "--once",
      description = "Stop when the simulation ends instead of waiting for Ctrl-C.")
  boolean once;

  @Override
  public Integer call() throws Exception {
    Scenario sc =
        Scenario.fromCode(scenario)
            .filter(s -> s != Scenario.BENCHMARK)
            .orElseThrow(
                () -> new ConfigException("--scenario: unknown scenario '" + scenario + "'"));
    Duration simulated = SimCommand.parseDuration(duration);
    Settings base = Settings.fromEnvironment();
    Path dir = dataDir != null ? dataDir : defaultDataDir(base);
    PrintStream out = System.out;
    out.println("kerbside demo: starting services (data in " + dir + ")...");
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<Simulation> running = new AtomicReference<>();
    try (DemoEnvironment env = DemoEnvironment.start(base, dir, fresh, dbPort, mqttPort)) {
      String brokerUrl = env.settings().string(IngestConfig.MQTT_URL, "");
      SimConfig config =
          SimConfig.builder()
              .devices(devices)
              .scenario(sc)
              .seed(seed)
              .speed(speed)
              .duration(simulated)
              .openingFaults(!noOpeningFaults)
              .publish(
                  PublishOptions.builder()
                      .brokerUrl(brokerUrl)
                      .credentials(
                          env.settings().string(IngestConfig.MQTT_USERNAME, ""),
                          env.settings().secret(IngestConfig.MQTT_PASSWORD))
                      .qos(1)
                      .clientIdPrefix("kerbside-demo-sim")
                      .build())
              .build();
      Simulation simulation = Simulation.create(config);
      Settings settings = withCatchUp(env.settings(), simulation.start(), Instant.now());
      try (KerbsideProcess kerbside =
          KerbsideProcess.start(settings, EnumSet.of(Role.INGEST, Role.ANALYTICS))) {
        run(out, env, kerbside, settings, sc, config, simulation, running, stopped);
      }
    } finally {
      stopped.countDown();
    }
    out.println("kerbside demo: stopped.");
    return 0;
  }

  private void run(
      PrintStream out,
      DemoEnvironment env,
      KerbsideProcess kerbside,
      Settings settings,
      Scenario sc,
      SimConfig config,
      Simulation simulation,
      AtomicReference<Simulation> running,
      CountDownLatch stopped)
      throws Exception {
    Thread hook =
        new Thread(
            () -> {
              Simulation s = running.get();
              if (s != null) {
                s.stop();
              }
              try {
                stopped.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "kerbside-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    CouncilRef council = registerTown(settings, simulation);
    running.set(simulation);
    env.ensureGrafanaLogin();
    String crewPage = crewLink(settings, council, kerbside.httpPort());
    banner(out, env, kerbside, sc, simulation, crewPage);
    kerbside.every(Duration.ofSeconds(10), () -> out.println(status(kerbside.meters())));
    try {
      SimReport report = simulation.run(p -> {});
      out.println();
      out.println(SimCommand.summary(report, config));
      if (!once && !report.stoppedEarly()) {
        out.println(
            "kerbside demo: the simulation has ended; Kerbside keeps running until Ctrl-C.");
        new CountDownLatch(1).await();
      }
      awaitDelivered(kerbside, report.sent());
    } finally {
      out.println(status(kerbside.meters()));
    }
  }

  /**
   * The settings with an analytics catch-up window that reaches back to the simulation's start: the
   * demo's town reports from the past (a week runs in under three hours at the default speed), and
   * analytics otherwise leaves readings older than a day unevaluated. A window set in the
   * environment is kept.
   */
  static Settings withCatchUp(Settings settings, Instant simulationStart, Instant now) {
    if (!settings.string(AnalyticsConfig.CATCH_UP, "").isEmpty()) {
      return settings;
    }
    long hours = Math.max(24, Duration.between(simulationStart, now).toHours() + 2);
    return settings.with(AnalyticsConfig.CATCH_UP, Long.toString(hours));
  }

  /**
   * Waits until ingest has received and committed every message the simulation sent (or until it
   * makes no progress for 15 s), so the final figures are complete.
   */
  private static void awaitDelivered(KerbsideProcess kerbside, long sent)
      throws InterruptedException {
    MeterRegistry m = kerbside.meters();
    double last = -1;
    long lastProgress = System.nanoTime();
    while (System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(15)) {
      double received = count(m, "kerbside.ingest.messages", null, null);
      if (received >= sent && gauge(m, "kerbside.ingest.inflight") == 0) {
        return;
      }
      if (received > last) {
        last = received;
        lastProgress = System.nanoTime();
      }
      Thread.sleep(200);
    }
  }

  private static Path defaultDataDir(Settings s) {
    String configured = s.string("KERBSIDE_DEMO_DIR", "");
    return configured.isEmpty()
        ? Path.of(System.getProperty("user.home"), ".kerbside", "demo")
        : Path.of(configured);
  }

  /** The crew page with a signed link for a demo crew, valid for 12 hours. */
  static String crewLink(Settings settings, CouncilRef council, int httpPort) {
    CrewLinks links =
        new CrewLinks(settings.secret(WorklistsConfig.LINK_SECRET), java.time.Clock.systemUTC());
    String token = links.sign(council, DEMO_CREW, Instant.now().plus(Duration.ofHours(12)));
    return "http://127.0.0.1:" + httpPort + "/crew/#t=" + token;
  }

  /** The crew the demo's link is made for; its steps are recorded as {@code crew:Demo crew}. */
  static final String DEMO_CREW = "Demo crew";

  private static void banner(
      PrintStream out,
      DemoEnvironment env,
      KerbsideProcess kerbside,
      Scenario sc,
      Simulation sim,
      String crewPage) {
    String http = "http://127.0.0.1:" + kerbside.httpPort();
    out.println();
    out.println("Kerbside demo is running");
    out.println("  database   " + env.databaseDescription());
    out.println("  broker     " + env.brokerDescription());
    out.println(
        "  town       "
            + sim.town().assets().size()
            + " devices, scenario "
            + sc.code()
            + ", simulated "
            + sim.start()
            + " to "
            + sim.end());
    out.println("  metrics    " + http + "/metrics   (Prometheus: scrape this address)");
    out.println("  ready      " + http + "/ready");
    out.println("  grafana    " + grafanaDataSource(env));
    out.println(
        "             dashboards grafana/dashboards/*.json via grafana/provisioning"
            + " (./kerbside demo --help says how)");
    out.println(
        "  readings   SELECT d.device_id, r.ts, r.fill_pct, r.power_w, r.surface_temp_c"
            + " FROM kerbside.reading r JOIN kerbside.device d USING (device_pk) ORDER BY r.ts DESC LIMIT 20;");
    out.println("  crew page  " + crewPage);
    out.println(
        "             (open it on this machine: the day's work lists, a map, and the alerts to act"
            + " on as \""
            + DEMO_CREW
            + "\"; the link works for 12 hours)");
    out.println("Ctrl-C stops everything.");
    out.println();
  }

  /** The Grafana data source for the demo's database, on one line. */
  static String grafanaDataSource(DemoEnvironment env) {
    return env.embeddedDatabaseAddress()
        .map(
            a ->
                "PostgreSQL data source: host "
                    + a[0]
                    + ", database "
                    + a[1]
                    + ", user "
                    + DemoEnvironment.GRAFANA_USER
                    + ", password "
                    + DemoEnvironment.GRAFANA_PASSWORD
                    + " (read-only), TLS disable, TimescaleDB off")
        .orElse(
            "PostgreSQL data source on the database above, with a login in the role"
                + " kerbside_grafana");
  }

  private static String status(MeterRegistry m) {
    return String.format(
        java.util.Locale.ROOT,
        "kerbside demo: received %,d messages, stored %,d readings, %,d duplicates, %,d dead letters,"
            + " %,d in flight, %,d alerts raised",
        (long) count(m, "kerbside.ingest.messages", null, null),
        (long) count(m, "kerbside.ingest.readings", "outcome", "stored"),
        (long) count(m, "kerbside.ingest.readings", "outcome", "duplicate"),
        (long) count(m, "kerbside.ingest.rejections", null, null),
        (long) gauge(m, "kerbside.ingest.inflight"),
        (long)
            (count(m, "kerbside.analytics.alerts", "step", "opened")
                + count(m, "kerbside.analytics.alerts", "step", "reopened")));
  }

  /**
   * Imports the simulated town's asset list (idempotent), so alerts name real assets with their
   * position and attributes, as they would for a council's own registry.
   */
  /** Registers the town's assets for the default council, which it returns. */
  private static CouncilRef registerTown(Settings settings, Simulation simulation)
      throws Exception {
    StringWriter list = new StringWriter();
    TownExport.writeCsv(simulation.town(), list);
    try (HikariDataSource ds =
        DataSources.open(DatabaseConfig.from(settings), "demo-registry", null)) {
      CouncilRef council = new Councils(ds).find("default").orElseThrow();
      ImportReport report =
          new AssetRegistry(ds)
              .importList(council, AssetFormat.CSV, new StringReader(list.toString()));
      System.out.printf(
          java.util.Locale.ROOT,
          "kerbside demo: town registered in the asset registry (%d new assets, %d updated)%n",
          report.inserted(),
          report.updated());
      return council;
    }
  }

  private static double count(MeterRegistry m, String name, String tag, String value) {
    var search = m.find(name);
    if (tag != null) {
      search = search.tag(tag, value);
    }
    return search.counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static double gauge(MeterRegistry m, String name) {
    var g = m.find(name).gauge();
    return g == null ? 0 : g.value();
  }
}
