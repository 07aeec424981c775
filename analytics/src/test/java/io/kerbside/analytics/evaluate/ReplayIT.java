package io.kerbside.analytics.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.analytics.AnalyticsMetrics;
import io.kerbside.analytics.AnalyticsVerticle;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code analytics replay} on the real database: a backlog older than the catch-up window, which
 * the reading pass only counts, is evaluated on purpose; a past episode becomes a resolved alert
 * with its condition's own times and no notification, an episode still going becomes an open alert;
 * a second replay of the same range records nothing.
 */
class ReplayIT {
  @Test
  void replaysABacklogIntoItsEpisodesOnceWhateverHowOftenItRuns() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      AnalyticsConfig config = AnalyticsConfig.from(Settings.from(Map.of()));
      long bin = bin(db);
      // ten days ago: full for an hour, then emptied; three days ago: full, and still full
      Instant t0 = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
      Instant t1 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
      double[] first = {40, 60, 93, 95, 96, 12, 15};
      for (int i = 0; i < first.length; i++) {
        reading(db, bin, t0.plus(Duration.ofMinutes(20L * i)), first[i]);
      }
      double[] second = {30, 94, 97, 98};
      for (int i = 0; i < second.length; i++) {
        reading(db, bin, t1.plus(Duration.ofMinutes(20L * i)), second[i]);
      }

      // the live pass judges only its catch-up window (a day by default): nothing is raised
      AnalyticsVerticle analytics =
          new AnalyticsVerticle(
              config, ds, new AnalyticsMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
      analytics.readingPass().run();
      assertThat(db.count("SELECT count(*) FROM alert")).isZero();

      ReplayPass replay = new ReplayPass(ds, config, config.rules(), Clock.systemUTC());
      Instant from = t0.minus(1, ChronoUnit.HOURS);
      Instant to = Instant.now().minus(1, ChronoUnit.HOURS);
      ReplayPass.Report r = replay.replay(from, to, 1);

      assertThat(r.devices()).isEqualTo(1);
      assertThat(r.recorded()).as("the past episode").isEqualTo(1);
      assertThat(r.opened()).as("the episode still going").isEqualTo(1);
      try (Connection c = db.connect();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT status, observed_at, condition_cleared_at, resolved_by FROM alert"
                      + " WHERE rule = 'bin-full' ORDER BY observed_at")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("resolved");
        assertThat(rs.getTimestamp(2).toInstant())
            .as("began with the first full reading, not when replayed")
            .isBefore(t0.plus(Duration.ofMinutes(61)));
        assertThat(rs.getTimestamp(3).toInstant())
            .as("cleared when the reading showed it emptied")
            .isEqualTo(t0.plus(Duration.ofMinutes(100)));
        assertThat(rs.getString(4)).isEqualTo("kerbside");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("open");
        assertThat(rs.getTimestamp(2).toInstant()).isAfter(t1);
        assertThat(rs.next()).isFalse();
      }
      assertThat(
              db.count(
                  "SELECT count(*) FROM alert_event e JOIN alert a USING (alert_id)"
                      + " WHERE a.status = 'resolved' AND e.routed_at IS NULL"))
          .as("history is not sent to crews")
          .isZero();
      assertThat(
              db.count(
                  "SELECT count(*) FROM alert_event e JOIN alert a USING (alert_id)"
                      + " WHERE a.status = 'open' AND e.type = 'opened' AND e.routed_at IS NULL"))
          .as("the alert still going is notified")
          .isEqualTo(1);

      long alerts = db.count("SELECT count(*) FROM alert");
      long events = db.count("SELECT count(*) FROM alert_event");
      ReplayPass.Report again = replay.replay(from, to, 1);
      assertThat(again.recorded()).isZero();
      assertThat(again.opened()).isZero();
      assertThat(again.known()).isEqualTo(r.episodes());
      assertThat(db.count("SELECT count(*) FROM alert")).isEqualTo(alerts);
      assertThat(db.count("SELECT count(*) FROM alert_event")).isEqualTo(events);

      assertThat(replay.replay(from, to, 2).devices()).as("another council's range").isZero();
    }
  }

  private static long bin(TestDatabase db) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("SELECT ensure_reading_partitions(current_date - 12, current_date + 1)");
      st.execute(
          "INSERT INTO asset (council_id, asset_ref, kind, name, latitude, longitude, ward,"
              + " bin_depth_mm) VALUES (1, 'R/BIN/1', 'bin', 'Bin', 52.2, 0.12, 'Market', 1000)");
      try (ResultSet rs =
          st.executeQuery(
              "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at,"
                  + " registration) SELECT 1, 'bin-r1', 'bin', asset_pk, now() - interval '30 days',"
                  + " 'registered' FROM asset WHERE asset_ref = 'R/BIN/1' RETURNING device_pk")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void reading(TestDatabase db, long devicePk, Instant at, double fillPct)
      throws Exception {
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
