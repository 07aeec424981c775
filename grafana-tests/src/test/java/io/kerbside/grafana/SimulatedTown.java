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
import io.kerbside.planning.CollectionPlan;
import io.kerbside.planning.CollectionPlanner;
import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.PlanningMetrics;
import io.kerbside.planning.store.PlanRepository;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A database of one test cluster filled the way production fills it: the simulator's towns imported
 * as the councils' asset lists, simulated runs published to the real broker and stored by a real
 * Kerbside process running ingest and analytics (it keeps running, so Prometheus can scrape it),
 * the rollups refreshed, and alerts recorded as analytics records them.
 */
final class SimulatedTown implements AutoCloseable {
  static final String GRAFANA_LOGIN = "kerbside_grafana_it";
  static final String GRAFANA_PASSWORD = "grafana-it-password";

  final TestDatabase db;
  final KerbsideProcess process;
  final List<Town> towns;

  /** One council's simulated town: its scenario and the simulated time it covers. */
  record Town(int councilId, String slug, Scenario scenario, Instant start, Instant end) {}

  private SimulatedTown(TestDatabase db, KerbsideProcess process, List<Town> towns) {
    this.db = db;
    this.process = process;
    this.towns = List.copyOf(towns);
  }

  /**
   * Two councils sharing one installation: {@code default} lives through a winter night (icy
   * pavements, failing lamps), {@code collection-town} through a collection day (bins filling up
   * and emptied), each with {@code devices} devices over {@code duration} of simulated time.
   */
  /**
   * Where each council's day starts: fixed instants, long past, so that the panels show the same
   * whenever the tests run (a winter evening, then the next day's early morning before the rounds).
   */
  private static final List<Instant> STARTS =
      List.of(Instant.parse("2026-01-14T16:00:00Z"), Instant.parse("2026-01-15T05:00:00Z"));

  static SimulatedTown load(TestServices.Db cluster, int devices, Duration duration)
      throws Exception {
    TestDatabase db = TestDatabase.create(cluster);
    KerbsideProcess process = null;
    try {
      String prefix = "gf" + UUID.randomUUID().toString().substring(0, 8);
      List<Simulation> sims = new ArrayList<>();
      List<CouncilRef> councils = new ArrayList<>();
      List<Scenario> scenarios = List.of(Scenario.WINTER_NIGHT, Scenario.COLLECTION_DAY);
      try (HikariDataSource ds = db.migrated()) {
        Councils registry = new Councils(ds);
        councils.add(registry.find("default").orElseThrow());
        councils.add(registry.add("collection-town", "Collection Town"));
        for (int i = 0; i < scenarios.size(); i++) {
          Simulation sim =
              Simulation.create(
                  SimConfig.builder()
                      .devices(devices)
                      .scenario(scenarios.get(i))
                      .seed(7 + i)
                      .speed(0)
                      .duration(duration)
                      .start(STARTS.get(i))
                      .publish(
                          PublishOptions.builder()
                              .brokerUrl(TestServices.mqttUrl())
                              .topicPrefix(prefix + "/" + councils.get(i).slug())
                              .clientIdPrefix(prefix + "-sim" + i)
                              .qos(1)
                              .build())
                      .build());
          StringWriter csv = new StringWriter();
          TownExport.writeCsv(sim.town(), csv);
          ImportReport imported =
              new AssetRegistry(ds)
                  .importList(councils.get(i), AssetFormat.CSV, new StringReader(csv.toString()));
          if (!imported.rejected().isEmpty()) {
            throw new IllegalStateException("town import rejected " + imported.rejected());
          }
          sims.add(sim);
        }
      }
      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
      env.put("KERBSIDE_MQTT_CLIENT_ID", prefix + "-ingest");
      env.put(
          "KERBSIDE_INGEST_SUBSCRIPTIONS",
          prefix
              + "/default/+/+=native@default,"
              + prefix
              + "/collection-town/+/+=native@collection-town");
      env.put("KERBSIDE_HTTP_PORT", "0");
      env.put("KERBSIDE_RETENTION_DAYS", "36500");
      process = KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST, Role.ANALYTICS));

      long expected = 0;
      List<Town> towns = new ArrayList<>();
      Instant from = null;
      Instant to = null;
      for (int i = 0; i < sims.size(); i++) {
        Simulation sim = sims.get(i);
        SimReport report = sim.run(ProgressListener.none());
        expected += report.expectedReadings();
        towns.add(
            new Town(
                councils.get(i).id(),
                councils.get(i).slug(),
                scenarios.get(i),
                sim.start(),
                sim.end()));
        from = from == null || sim.start().isBefore(from) ? sim.start() : from;
        to = to == null || sim.end().isAfter(to) ? sim.end() : to;
      }
      long total = expected;
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> db.count("SELECT count(*) FROM reading") >= total);
      try (HikariDataSource ds = db.migrated()) {
        new ReadingRollups(ds, 36_500, Clock.systemUTC()).refresh(from, to);
      }
      for (Town t : towns) {
        recordAlerts(db, t);
      }
      try (HikariDataSource ds = db.migrated()) {
        for (Town t : towns) {
          planCollections(ds, t);
        }
      }
      db.createLogin(GRAFANA_LOGIN, GRAFANA_PASSWORD, "kerbside_grafana");
      return new SimulatedTown(db, process, towns);
    } catch (Exception | Error e) {
      if (process != null) {
        process.close();
      }
      db.close();
      throw e;
    }
  }

  /**
   * Alerts on a quarter of the town's assets, in the alert table's shape, spread over the simulated
   * time and opened seconds after the reading that raised them: a third still open, a third
   * acknowledged by a crew after 20 minutes, a third resolved after 90. Their rules ({@code
   * reported-overflow}, {@code reported-lamp-out}, {@code reported-ice}) are none of analytics'
   * own, so the running analytics role, which raises and clears its own alerts as the scenario
   * goes, leaves them as they are and every alert panel has rows to show.
   */
  static void recordAlerts(TestDatabase db, Town town) throws java.sql.SQLException {
    try (Connection c = db.connect();
        java.sql.Statement st = c.createStatement()) {
      st.execute(alertsSql(town.councilId(), town.start(), town.end(), 4));
    }
  }

  /** Alerts on every {@code oneIn}-th asset of a council between {@code from} and {@code to}. */
  static String alertsSql(int councilId, Instant from, Instant to, int oneIn) {
    return "INSERT INTO kerbside.alert (council_id, subject, rule, kind, severity, status,"
        + " asset_pk, device_pk, ward, summary, value, peak_value, observed_at, last_observed_at,"
        + " opened_at, updated_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by,"
        + " assignee)"
        + " SELECT a.council_id, 'asset/' || a.asset_pk, r.rule, a.kind, r.severity,"
        + "  (ARRAY['open', 'acknowledged', 'resolved'])[1 + a.n % 3], a.asset_pk,"
        + "  d.device_pk, a.ward, r.rule || ' at ' || a.asset_ref, 1, 1, t.at,"
        + "  t.at + interval '30 minutes', t.at + interval '5 seconds',"
        + "  t.at + interval '5 seconds',"
        + "  CASE WHEN a.n % 3 > 0 THEN t.at + interval '20 minutes' END,"
        + "  CASE WHEN a.n % 3 > 0 THEN 'crew' END,"
        + "  CASE WHEN a.n % 3 = 2 THEN t.at + interval '90 minutes' END,"
        + "  CASE WHEN a.n % 3 = 2 THEN 'crew' END,"
        + "  CASE WHEN a.n % 3 > 0 THEN CASE a.kind WHEN 'streetlight' THEN 'lighting'"
        + "   ELSE 'highways' END END"
        + " FROM (SELECT x.*, row_number() OVER (ORDER BY x.asset_pk) AS n FROM kerbside.asset x"
        + "       WHERE x.council_id = "
        + councilId
        + ") a"
        + " JOIN kerbside.device d ON d.asset_pk = a.asset_pk"
        + " JOIN (VALUES ('bin', 'reported-overflow', 'major'),"
        + "  ('streetlight', 'reported-lamp-out', 'critical'), ('pavement', 'reported-ice', 'critical')) r(kind, rule, severity)"
        + "  ON r.kind = a.kind"
        + " CROSS JOIN LATERAL (SELECT timestamptz '"
        + from
        + "' + (timestamptz '"
        + to
        + "' - timestamptz '"
        + from
        + "') * ((a.n % 10) / 10.0) AS at) t"
        + " WHERE a.n % "
        + oneIn
        + " = 0"
        // analytics may already have an active alert of that rule on that asset
        + " ON CONFLICT DO NOTHING";
  }

  /**
   * A collection plan of the town, made as {@code kerbside plan collections} makes it two hours
   * into the simulated time, for a round starting then (a round is planned from what was known at
   * its start), before the collection day's rounds empty the bins (with a threshold of 1 % nearly
   * every bin is due, so the routes of every ward have stops), with its first stop marked emptied
   * by a crew.
   */
  static void planCollections(HikariDataSource ds, Town town) throws Exception {
    double lat;
    double lon;
    try (Connection c = ds.getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT avg(latitude), avg(longitude) FROM kerbside.asset"
                    + " WHERE council_id = ? AND kind = 'bin'")) {
      ps.setInt(1, town.councilId());
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        lat = rs.getDouble(1);
        lon = rs.getDouble(2);
      }
    }
    String depot = String.format(java.util.Locale.ROOT, "{lat: %.6f, lon: %.6f}", lat, lon);
    Instant at = town.start().plus(Duration.ofHours(2));
    String roundStart = at.atOffset(ZoneOffset.UTC).toLocalTime().toString();
    PlanningConfig config =
        PlanningConfig.parse(
            "zone: UTC\n"
                + "selection: {fill_threshold_pct: 1}\n"
                + "solver: {iterations: 30, max_solve_s: 3}\n"
                + "vehicles:\n"
                + "  - {name: rcv-1, capacity_l: 100000, shift_start: \"00:00\","
                + " shift_end: \"23:59\", depot: "
                + depot
                + "}\n"
                + "  - {name: rcv-2, capacity_l: 100000, shift_start: \"00:00\","
                + " shift_end: \"23:59\", depot: "
                + depot
                + "}\n"
                + "rounds:\n"
                + "  - {name: daily, start: \""
                + roundStart
                + "\", end: \"23:59\", vehicles: [rcv-1, rcv-2]}\n",
            "grafana-tests");
    PlanRepository plans = new PlanRepository(ds);
    CouncilRef council = new CouncilRef(town.councilId(), town.slug());
    List<CollectionPlan> made =
        new CollectionPlanner(
                config, plans, new PlanningMetrics(null), Clock.fixed(at, ZoneOffset.UTC))
            .plan(
                council,
                LocalDate.ofInstant(at, ZoneOffset.UTC),
                Optional.empty(),
                "cli:grafana-tests");
    for (CollectionPlan plan : made) {
      plan.stops().stream()
          .filter(s -> s.vehicle() != null)
          .findFirst()
          .ifPresent(
              s -> {
                try {
                  plans.markEmptied(council, plan.id(), s.stopNo(), "crew:grafana-tests");
                } catch (Exception e) {
                  throw new IllegalStateException("could not mark stop " + s.stopNo(), e);
                }
              });
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
