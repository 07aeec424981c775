package io.kerbside.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.analytics.AnalyticsMetrics;
import io.kerbside.analytics.AnalyticsVerticle;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The alert lifecycle end to end on the real databases: readings stored by SQL, the reading pass
 * evaluates them, alerts and their history and deliveries land in the alert tables.
 */
class AlertLifecycleIT {
  private static final CouncilRef DEFAULT = new CouncilRef(1, "default");

  /** The role with its passes run by the test, not deployed. */
  private static AnalyticsVerticle service(HikariDataSource ds) {
    AnalyticsConfig config =
        AnalyticsConfig.from(
            Settings.from(
                Map.of(AnalyticsConfig.POLL_INTERVAL, "100", AnalyticsConfig.FLAP_WINDOW, "60")));
    return new AnalyticsVerticle(
        config, ds, new AnalyticsMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
  }

  /**
   * A backlog older than the catch-up window is not evaluated, but not silently: it is counted in
   * {@code kerbside.analytics.readings.skipped} once, however often the pass runs.
   */
  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void countsReadingsOlderThanTheCatchUpWindowOnceInsteadOfSkippingThemSilently(
      TestServices.Db cluster) throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      long bin = bin(db, "bin-1", "CAS/BIN/1");
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      AnalyticsVerticle analytics =
          new AnalyticsVerticle(
              AnalyticsConfig.from(Settings.from(Map.of(AnalyticsConfig.CATCH_UP, "1"))),
              ds,
              new AnalyticsMetrics(meters),
              Clock.systemUTC());
      Instant old = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
      for (int i = 0; i < 5; i++) {
        reading(db, bin, old.plus(Duration.ofMinutes(15L * i)), 95);
      }
      reading(db, bin, Instant.now().minus(10, ChronoUnit.MINUTES), 20);

      analytics.readingPass().run();
      analytics.readingPass().run();

      assertThat(meters.get("kerbside.analytics.readings.skipped").counter().count()).isEqualTo(5);
    }
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void opensUpdatesResolvesAndReopensOneAlertPerBin(TestServices.Db cluster) throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      long bin = bin(db, "bin-1", "CAS/BIN/1");
      AnalyticsVerticle analytics = service(ds);
      Instant t0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);

      reading(db, bin, t0, 40);
      reading(db, bin, t0.plus(Duration.ofMinutes(15)), 88);
      reading(db, bin, t0.plus(Duration.ofMinutes(30)), 93);
      analytics.readingPass().run();
      assertThat(db.count("SELECT count(*) FROM kerbside.alert")).isEqualTo(1);
      assertThat(
              db.count(
                  "SELECT count(*) FROM kerbside.alert WHERE status = 'open'"
                      + " AND rule = 'bin-full' AND peak_value = 93 AND value = 93"))
          .isEqualTo(1);
      assertThat(db.count("SELECT count(*) FROM kerbside.alert_event WHERE type = 'opened'"))
          .isEqualTo(1);
      assertThat(db.count("SELECT count(*) FROM kerbside.alert_event WHERE routed_at IS NULL"))
          .as("the notice waits for a delivery worker to route it")
          .isEqualTo(1);
      assertThat(db.count("SELECT count(*) FROM kerbside.delivery")).isZero();

      // a repeat updates; a level between the clear and raise thresholds changes nothing
      reading(db, bin, t0.plus(Duration.ofMinutes(45)), 86);
      reading(db, bin, t0.plus(Duration.ofMinutes(60)), 70);
      analytics.readingPass().run();
      assertThat(
              db.count(
                  "SELECT count(*) FROM kerbside.alert WHERE status = 'open'"
                      + " AND value = 86 AND peak_value = 93"))
          .isEqualTo(1);

      // emptied: resolved by Kerbside
      reading(db, bin, t0.plus(Duration.ofMinutes(75)), 2);
      analytics.readingPass().run();
      assertThat(
              db.count(
                  "SELECT count(*) FROM kerbside.alert WHERE status = 'resolved'"
                      + " AND resolved_by = 'kerbside'"))
          .isEqualTo(1);
      // the condition's own times come from the readings, not from when the pass ran
      assertThat(
              db.count(
                  "SELECT count(*) FROM kerbside.alert WHERE observed_at BETWEEN '"
                      + t0.plus(Duration.ofMinutes(15))
                      + "' AND '"
                      + t0.plus(Duration.ofMinutes(30))
                      + "' AND condition_cleared_at = '"
                      + t0.plus(Duration.ofMinutes(75))
                      + "' AND resolved_at > condition_cleared_at + interval '1 hour'"))
          .isEqualTo(1);

      // full again within the flap window: the same alert re-opens
      reading(db, bin, t0.plus(Duration.ofMinutes(90)), 94);
      reading(db, bin, t0.plus(Duration.ofMinutes(105)), 95);
      analytics.readingPass().run();
      assertThat(db.count("SELECT count(*) FROM kerbside.alert")).isEqualTo(1);
      assertThat(
              db.count(
                  "SELECT count(*) FROM kerbside.alert WHERE status = 'open'"
                      + " AND reopen_count = 1 AND condition_cleared_at IS NULL"))
          .isEqualTo(1);
      assertThat(db.count("SELECT count(*) FROM kerbside.alert_event"))
          .as("opened, resolved, reopened")
          .isEqualTo(3);

      // running again without new readings changes nothing
      analytics.readingPass().run();
      assertThat(db.count("SELECT count(*) FROM kerbside.alert_event")).isEqualTo(3);
      assertThat(db.count("SELECT count(*) FROM kerbside.alert_event WHERE routed_at IS NULL"))
          .isEqualTo(3);

      // people's steps
      long id = db.count("SELECT alert_id FROM kerbside.alert");
      PeopleSteps store = analytics.steps();
      AlertQueries queries = new AlertQueries(ds);
      assertThatThrownBy(() -> store.resolveByPerson(DEFAULT, id, AlertWrites.SYSTEM_ACTOR, "x"))
          .as("nobody resolves an alert as Kerbside, which would re-open it by itself")
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.acknowledge(DEFAULT, id, " kerbside ", null))
          .isInstanceOf(IllegalArgumentException.class);
      store.acknowledge(DEFAULT, id, "sam", "on my way");
      store.assign(DEFAULT, id, "sam", "north crew");
      store.note(DEFAULT, id, "sam", "lid jammed");
      Alert done = store.resolveByPerson(DEFAULT, id, "sam", "emptied");
      assertThat(done.status()).isEqualTo(AlertStatus.RESOLVED);
      assertThat(done.resolvedBy()).isEqualTo("sam");
      assertThat(done.assignee()).isEqualTo("north crew");
      assertThat(queries.history(DEFAULT, id))
          .extracting(AlertEvent::type)
          .containsExactly(
              "opened", "resolved", "reopened", "acknowledged", "assigned", "note", "resolved");
      assertThat(queries.find(new CouncilRef(99, "other"), id)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void anUnacknowledgedCriticalAlertIsNotifiedAgainOnce(TestServices.Db cluster) throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      long bin = bin(db, "bin-9", "CAS/BIN/9");
      AnalyticsVerticle analytics = service(ds);
      Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
      try (Connection c = db.connect();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO reading (council_id, device_pk, ts, received_at, temp_c, tilt_deg)"
                      + " VALUES (1, ?, ?, now(), ?, 3)")) {
        double[] temps = {9, 9.5, 85};
        for (int i = 0; i < temps.length; i++) {
          ps.setLong(1, bin);
          ps.setTimestamp(2, Timestamp.from(t0.plus(Duration.ofMinutes(15L * i))));
          ps.setDouble(3, temps[i]);
          ps.executeUpdate();
        }
      }
      analytics.readingPass().run();
      assertThat(
              db.count(
                  "SELECT count(*) FROM kerbside.alert WHERE rule = 'bin-fire'"
                      + " AND severity = 'critical' AND status = 'open'"))
          .isEqualTo(1);
      AlertWrites writes = new AlertWrites();
      PeopleSteps store = analytics.steps();
      Duration after = Duration.ofMinutes(30);
      try (Connection c = ds.getConnection()) {
        assertThat(writes.escalate(c, "critical", after, Instant.now())).as("too early").isZero();
        Instant later = Instant.now().plus(Duration.ofMinutes(31));
        assertThat(writes.escalate(c, "critical", after, later)).isEqualTo(1);
        assertThat(writes.escalate(c, "critical", after, later.plusSeconds(60)))
            .as("once per period")
            .isZero();
      }
      assertThat(db.count("SELECT count(*) FROM kerbside.alert_event WHERE type = 'escalated'"))
          .isEqualTo(1);
      assertThat(
              db.count(
                  "SELECT count(*) FROM kerbside.alert_event"
                      + " WHERE type = 'escalated' AND routed_at IS NULL"))
          .isEqualTo(1);
      long id = db.count("SELECT alert_id FROM kerbside.alert WHERE rule = 'bin-fire'");
      store.acknowledge(DEFAULT, id, "sam", null);
      try (Connection c = ds.getConnection()) {
        assertThat(writes.escalate(c, "critical", after, Instant.now().plus(Duration.ofHours(5))))
            .as("acknowledged alerts are not escalated")
            .isZero();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void analyticsRunsWithOnlyTheAnalyticsRole(TestServices.Db cluster) throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource admin = db.migrated()) {
      long bin = bin(db, "bin-5", "CAS/BIN/5");
      Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
      reading(db, bin, t0, 91);
      reading(db, bin, t0.plus(Duration.ofMinutes(15)), 95);
      db.createLogin("kerbside_analytics_it", "analytics-pw", "kerbside_analytics");
      io.kerbside.core.config.DatabaseConfig login =
          new io.kerbside.core.config.DatabaseConfig(
              db.url(),
              "kerbside_analytics_it",
              io.kerbside.core.config.Secret.of("analytics-pw"),
              2,
              db.config().storage(),
              395,
              false,
              7);
      try (HikariDataSource ds = io.kerbside.core.db.DataSources.open(login, "it", null)) {
        AnalyticsVerticle analytics = service(ds);
        analytics.readingPass().run();
        analytics.schedulePass().run();
        assertThat(db.count("SELECT count(*) FROM kerbside.alert WHERE rule = 'bin-full'"))
            .isEqualTo(1);
        try (Connection c = ds.getConnection();
            Statement st = c.createStatement()) {
          for (String forbidden :
              List.of(
                  "DELETE FROM reading",
                  "UPDATE device SET kind = 'bin'",
                  "INSERT INTO council (slug, name) VALUES ('x', 'x')",
                  "SELECT key_sha256, label FROM api_key WHERE false",
                  "DROP TABLE alert")) {
            if (forbidden.startsWith("SELECT key_sha256")) {
              st.executeQuery(forbidden).close(); // needed to check API keys
              continue;
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> st.execute(forbidden))
                .as(forbidden)
                .isInstanceOf(java.sql.SQLException.class);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void twoInstancesNeverRaiseOrQueueTwice(TestServices.Db cluster) throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      int bins = 40;
      long[] pks = new long[bins];
      for (int i = 0; i < bins; i++) {
        pks[i] = bin(db, "bin-" + i, "CAS/BIN/" + i);
      }
      Settings settings =
          Settings.from(
              Map.of(AnalyticsConfig.POLL_INTERVAL, "50", AnalyticsConfig.CYCLE_INTERVAL, "1"));
      AnalyticsMetrics m1 = new AnalyticsMetrics(new SimpleMeterRegistry());
      AnalyticsMetrics m2 = new AnalyticsMetrics(new SimpleMeterRegistry());
      // one Vertx each, as two processes would have
      Vertx one = Vertx.vertx();
      Vertx two = Vertx.vertx();
      try {
        one.deployVerticle(
                new AnalyticsVerticle(AnalyticsConfig.from(settings), ds, m1, Clock.systemUTC()))
            .await();
        two.deployVerticle(
                new AnalyticsVerticle(AnalyticsConfig.from(settings), ds, m2, Clock.systemUTC()))
            .await();
        Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        for (int step = 0; step < 6; step++) {
          for (int i = 0; i < bins; i++) {
            reading(db, pks[i], t0.plus(Duration.ofMinutes(15L * step)), 50 + step * 10);
          }
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    db.count(
                            "SELECT count(*) FROM kerbside.analytics_progress"
                                + " WHERE evaluated_until = '"
                                + t0.plus(Duration.ofMinutes(75))
                                + "'")
                        == bins);
        Thread.sleep(500);
      } finally {
        one.close().await();
        two.close().await();
      }
      assertThat(db.count("SELECT count(*) FROM kerbside.alert WHERE rule = 'bin-full'"))
          .isEqualTo(bins);
      assertThat(db.count("SELECT count(*) FROM kerbside.alert_event WHERE type = 'opened'"))
          .isEqualTo(bins);
      assertThat(db.count("SELECT count(*) FROM kerbside.alert_event WHERE routed_at IS NULL"))
          .isEqualTo(bins);
    }
  }

  static long bin(TestDatabase db, String deviceId, String assetRef) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      long asset;
      try (ResultSet rs =
          st.executeQuery(
              "INSERT INTO asset (council_id, asset_ref, kind, name, latitude, longitude, ward,"
                  + " bin_depth_mm) VALUES (1, '"
                  + assetRef
                  + "', 'bin', 'Bin', 52.2, 0.12, 'Market', 1000) RETURNING asset_pk")) {
        rs.next();
        asset = rs.getLong(1);
      }
      try (ResultSet rs =
          st.executeQuery(
              "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at,"
                  + " registration) VALUES (1, '"
                  + deviceId
                  + "', 'bin', "
                  + asset
                  + ", now(), 'registered') RETURNING device_pk")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static void reading(TestDatabase db, long devicePk, Instant at, double fillPct) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct, tilt_deg)"
                    + " VALUES (1, ?, ?, now(), ?, 3)")) {
      ps.setLong(1, devicePk);
      ps.setTimestamp(2, Timestamp.from(at));
      ps.setDouble(3, fillPct);
      ps.executeUpdate();
    }
  }
}
