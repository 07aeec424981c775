package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.app.demo.DemoEnvironment;
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
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
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
      ""
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
    try (DemoEnvironment env = DemoEnvironment.start(base, dir, fresh, mqttPort);
        KerbsideProcess kerbside =
            KerbsideProcess.start(env.settings(), EnumSet.of(Role.INGEST, Role.ANALYTICS))) {
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
      String brokerUrl = env.settings().string(IngestConfig.MQTT_URL, "");
      SimConfig config =
          SimConfig.builder()
              .devices(devices)
              .scenario(sc)
              .seed(seed)
              .speed(speed)
              .duration(simulated)
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
      registerTown(env.settings(), simulation);
      running.set(simulation);
      banner(out, env, kerbside, sc, simulation);
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
    } finally {
      stopped.countDown();
    }
    out.println("kerbside demo: stopped.");
    return 0;
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

  private static void banner(
      PrintStream out, DemoEnvironment env, KerbsideProcess kerbside, Scenario sc, Simulation sim) {
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
    out.println(
        "  grafana    PostgreSQL data source on the database above, schema kerbside;"
            + " see grafana/provisioning");
    out.println(
        "  readings   SELECT d.device_id, r.ts, r.fill_pct, r.power_w, r.surface_temp_c"
            + " FROM kerbside.reading r JOIN kerbside.device d USING (device_pk) ORDER BY r.ts DESC LIMIT 20;");
    out.println("Ctrl-C stops everything.");
    out.println();
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
  private static void registerTown(Settings settings, Simulation simulation) throws Exception {
    StringWriter list = new StringWriter();
    TownExport.writeCsv(simulation.town(), list);
    try (HikariDataSource ds =
        DataSources.open(DatabaseConfig.from(settings), "demo-registry", null)) {
      ImportReport report =
          new AssetRegistry(ds)
              .importList(
                  new Councils(ds).find("default").orElseThrow(),
                  AssetFormat.CSV,
                  new StringReader(list.toString()));
      System.out.printf(
          java.util.Locale.ROOT,
          "kerbside demo: town registered in the asset registry (%d new assets, %d updated)%n",
          report.inserted(),
          report.updated());
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
