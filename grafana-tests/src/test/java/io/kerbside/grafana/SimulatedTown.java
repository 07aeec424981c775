package io.kerbside.grafana;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.ReadingRollups;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRegistry;
import io.kerbside.registry.ImportReport;
import io.kerbside.sim.ProgressListener;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.Simulation;
import io.kerbside.sim.TownExport;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A database of one test cluster filled the way production fills it: the simulator's town imported
 * as the asset list, then a simulated run published to the real broker and stored by a real
 * Kerbside process (which keeps running, so Prometheus can scrape it), the rollups refreshed.
 */
final class SimulatedTown implements AutoCloseable {
  static final String GRAFANA_LOGIN = "kerbside_grafana_it";
  static final String GRAFANA_PASSWORD = "grafana-it-password";

  final TestDatabase db;
  final KerbsideProcess process;
  final SimReport report;
  final Instant start;
  final Instant end;

  private SimulatedTown(
      TestDatabase db, KerbsideProcess process, SimReport report, Instant start, Instant end) {
    this.db = db;
    this.process = process;
    this.report = report;
    this.start = start;
    this.end = end;
  }

  /**
   * Runs {@code scenario} for {@code devices} devices over {@code duration} of simulated time that
   * ends about now.
   */
  static SimulatedTown load(
      TestServices.Db cluster, Scenario scenario, int devices, Duration duration) throws Exception {
    TestDatabase db = TestDatabase.create(cluster);
    KerbsideProcess process = null;
    try {
      String prefix = "gf" + UUID.randomUUID().toString().substring(0, 8);
      SimConfig config =
          SimConfig.builder()
              .devices(devices)
              .scenario(scenario)
              .seed(7)
              .speed(0)
              .duration(duration)
              .publish(
                  PublishOptions.builder()
                      .brokerUrl(TestServices.mqttUrl())
                      .topicPrefix(prefix)
                      .clientIdPrefix(prefix + "-sim")
                      .qos(1)
                      .build())
              .build();
      Simulation sim = Simulation.create(config);
      try (HikariDataSource ds = db.migrated()) {
        CouncilRef council = new Councils(ds).find("default").orElseThrow();
        StringWriter csv = new StringWriter();
        TownExport.writeCsv(sim.town(), csv);
        ImportReport imported =
            new AssetRegistry(ds)
                .importList(council, AssetFormat.CSV, new StringReader(csv.toString()));
        if (!imported.rejected().isEmpty()) {
          throw new IllegalStateException("town import rejected " + imported.rejected());
        }
      }
      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
      env.put("KERBSIDE_MQTT_CLIENT_ID", prefix + "-ingest");
      env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/+/+=native@default");
      env.put("KERBSIDE_HTTP_PORT", "0");
      process = KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST));

      SimReport report = sim.run(ProgressListener.none());
      long expected = report.expectedReadings();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> db.count("SELECT count(*) FROM reading") >= expected);
      // The scenario chooses its time of day: its last readings may be hours before now.
      Instant end = sim.end();
      try (HikariDataSource ds = db.migrated()) {
        new ReadingRollups(ds, 395, Clock.systemUTC()).refresh(sim.start(), end);
      }
      db.createLogin(GRAFANA_LOGIN, GRAFANA_PASSWORD, "kerbside_grafana");
      return new SimulatedTown(db, process, report, sim.start(), end);
    } catch (Exception | Error e) {
      if (process != null) {
        process.close();
      }
      db.close();
      throw e;
    }
  }

  /** A connection as the Grafana login, a member of the read-only role only. */
  Connection asGrafana() throws java.sql.SQLException {
    return DriverManager.getConnection(db.url(), GRAFANA_LOGIN, GRAFANA_PASSWORD);
  }

  boolean timescale() {
    return db.cluster() == TestServices.Db.TIMESCALEDB;
  }

  @Override
  public void close() throws Exception {
    try {
      process.close();
    } finally {
      db.close();
    }
  }
}
