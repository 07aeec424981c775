package io.kerbside.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
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

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void acceptsReadingsForTheComingDaysWithoutFurtherWork(TestServices.Db cluster) throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      new ReadingMaintenance(ds, 30, Clock.systemUTC()).run();
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO reading (council_id, device_pk, ts, received_at) VALUES"
                + " (1, 1, now() + interval '"
                + ReadingMaintenance.DAYS_AHEAD
                + " days', now())");
      }
      assertThat(db.count("SELECT count(*) FROM reading")).isEqualTo(1);
    }
  }
}
