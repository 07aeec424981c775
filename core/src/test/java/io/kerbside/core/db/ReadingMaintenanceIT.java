package io.kerbside.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Partitions ahead and retention, on both storage layouts. */
class ReadingMaintenanceIT {

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void dropsReadingsOlderThanTheRetentionWindowAndKeepsTheRest(TestServices.Db cluster)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      ReadingMaintenance maintenance = new ReadingMaintenance(ds, 30, Clock.systemUTC());
      maintenance.ensurePartitions(today.minusDays(40), today);
      // Retention compares with the database's now(), whatever the pass's clock, so the readings
      // are placed from it too: 38 and 2 days old, far either side of the 30 days at any hour.
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct) VALUES"
                + " (1, 1, now() - interval '38 days', now(), 10),"
                + " (1, 1, now() - interval '2 days', now(), 20),"
                + " (1, 1, now(), now(), 30)");
      }
      int dropped = maintenance.run();

      assertThat(dropped).isPositive();
      assertThat(db.count("SELECT count(*) FROM reading")).isEqualTo(2);
      assertThat(db.count("SELECT min(fill_pct)::int FROM reading")).isEqualTo(20);
    }
  }

  /**
   * The pass runs at a fixed instant in the last half minute of a UTC day, long past, and the
   * reading comes at the same time of day {@link ReadingMaintenance#DAYS_AHEAD} days on: the far
   * edge of what it prepares, whatever the date and time the test runs (from the wall clock, a pass
   * just before midnight and an insert just after it would miss a day).
   */
  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void acceptsReadingsForTheComingDaysWithoutFurtherWork(TestServices.Db cluster) throws Exception {
    Instant passAt = Instant.parse("2026-03-10T23:59:30Z");
    Instant lastAhead = passAt.plus(Duration.ofDays(ReadingMaintenance.DAYS_AHEAD));
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      // Retention judges by the database's clock, not the pass's: a century keeps the fixed days.
      new ReadingMaintenance(ds, 36_500, Clock.fixed(passAt, ZoneOffset.UTC)).run();
      try (Connection c = db.connect();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO reading (council_id, device_pk, ts, received_at)"
                      + " VALUES (1, 1, ?, ?)")) {
        ps.setTimestamp(1, Timestamp.from(lastAhead));
        ps.setTimestamp(2, Timestamp.from(passAt));
        ps.executeUpdate();
      }
      assertThat(db.count("SELECT count(*) FROM reading")).isEqualTo(1);
    }
  }
}
