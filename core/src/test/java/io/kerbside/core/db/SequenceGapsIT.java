package io.kerbside.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@code sequence_gaps}: lost messages and counter resets from stored sequence numbers. */
class SequenceGapsIT {

  @Test
  void countsLostMessagesAndResetsInTimeOrderWhateverTheOrderOfArrival() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      new ReadingMaintenance(ds, 30, java.time.Clock.systemUTC())
          .ensurePartitions(
              java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1),
              java.time.LocalDate.now(java.time.ZoneOffset.UTC));
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        // Device 7, by minute: seq 1, 2, 5 (3 and 4 lost), 6, reboot to 0, 1, 3 (2 lost); the
        // reading of minute 4 arrives last. Device 8 loses nothing.
        st.execute(
            "INSERT INTO reading (council_id, device_pk, ts, received_at, seq)"
                + " SELECT 1, d, date_trunc('minute', now()) - make_interval(mins => 60 - m), now(), s"
                + " FROM (VALUES (7, 1, 1), (7, 2, 2), (7, 3, 5), (7, 5, 0), (7, 6, 1), (7, 7, 3),"
                + "              (7, 4, 6), (8, 1, 10), (8, 2, 11)) AS v(d, m, s)");
      }
      try (Connection c = db.connect();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT device_pk, readings, lost, resets"
                      + " FROM sequence_gaps(now() - interval '1 day', now()) ORDER BY device_pk")) {
        assertThat(rs.next()).isTrue();
        assertThat(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)})
            .containsExactly(7, 7, 3, 1);
        assertThat(rs.next()).isTrue();
        assertThat(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)})
            .containsExactly(8, 2, 0, 0);
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
