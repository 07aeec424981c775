package io.kerbside.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hourly rollups agree with the readings, across hour boundaries and for late readings. */
class ReadingRollupsIT {

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void rollsReadingsUpPerDeviceAndWardAndTakesInLateReadings(TestServices.Db cluster)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      Instant h0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
      new ReadingMaintenance(ds, 30, Clock.systemUTC())
          .ensurePartitions(LocalDate.ofInstant(h0, ZoneOffset.UTC), LocalDate.now(ZoneOffset.UTC));
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, ward) VALUES"
                + " (1, 'L1', 'streetlight', 52.2, 0.12, 'Market'),"
                + " (1, 'B1', 'bin', 52.2, 0.12, 'Market')");
        st.execute(
            "INSERT INTO device (council_id, device_id, kind, asset_pk) VALUES"
                + " (1, 'light-1', 'streetlight', (SELECT asset_pk FROM asset WHERE asset_ref = 'L1')),"
                + " (1, 'bin-1', 'bin', (SELECT asset_pk FROM asset WHERE asset_ref = 'B1')),"
                + " (1, 'bin-2', 'bin', NULL)");
        // light-1 every 20 minutes over two hours: the meter counts 10 Wh a reading, the lamp
        // switches at minutes 20, 40 and 60, and seq skips 4 (one message lost).
        st.execute(
            "INSERT INTO reading (council_id, device_pk, ts, received_at, seq, lamp_on, power_w,"
                + " energy_wh)"
                + " SELECT 1, (SELECT device_pk FROM device WHERE device_id = 'light-1'),"
                + "  '"
                + h0
                + "'::timestamptz + make_interval(mins => 20 * i), now(),"
                + "  CASE WHEN i >= 4 THEN i + 1 ELSE i END, i IN (1, 3, 4, 5), 20, 1000 + 10 * i"
                + " FROM generate_series(0, 5) i");
        // bin-1 fills, is emptied in the second hour; bin-2 has no asset
        st.execute(
            "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct)"
                + " SELECT 1, d.device_pk, '"
                + h0
                + "'::timestamptz + make_interval(mins => 15 * i), now(), v.fill"
                + " FROM device d, (VALUES (0, 60), (1, 70), (2, 80), (3, 90), (4, 95), (5, 10))"
                + " AS v(i, fill) WHERE d.device_id IN ('bin-1', 'bin-2')");
      }
      ReadingRollups rollups = new ReadingRollups(ds, 30, Clock.systemUTC());
      assertThat(rollups.refresh(h0, h0.plus(2, ChronoUnit.HOURS))).isEqualTo(6);

      assertThat(
              db.count(
                  "SELECT sum(readings) FROM reading_hourly h JOIN device d USING (device_pk)"
                      + " WHERE d.device_id = 'light-1'"))
          .isEqualTo(6);
      // energy: 5 steps of 10 Wh, the one across the hour boundary included
      assertThat(
              db.count(
                  "SELECT sum(energy_wh_used) FROM reading_hourly h JOIN device d USING"
                      + " (device_pk) WHERE d.device_id = 'light-1'"))
          .isEqualTo(50);
      assertThat(
              db.count(
                  "SELECT sum(seq_lost) * 100 + sum(lamp_switches) FROM reading_hourly h"
                      + " JOIN device d USING (device_pk) WHERE d.device_id = 'light-1'"))
          .isEqualTo(103);
      assertThat(
              db.count(
                  "SELECT fill_pct_drop_max FROM reading_hourly h JOIN device d USING (device_pk)"
                      + " WHERE d.device_id = 'bin-1' AND h.bucket = '"
                      + h0.plus(1, ChronoUnit.HOURS)
                      + "'"))
          .isEqualTo(85);
      try (Connection c = db.connect();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT ward, kind, sum(devices), sum(readings), sum(bins_full),"
                      + " sum(collections) FROM reading_ward_hourly GROUP BY ward, kind"
                      + " ORDER BY ward, kind")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1) + rs.getString(2) + rs.getLong(3) + "/" + rs.getLong(4))
            .isEqualTo("bin2/6");
        assertThat(rs.next()).isTrue();
        assertThat(
                rs.getString(1)
                    + rs.getString(2)
                    + rs.getLong(3)
                    + "/"
                    + rs.getLong(4)
                    + "/"
                    + rs.getLong(5)
                    + "/"
                    + rs.getLong(6))
            .isEqualTo("Marketbin2/6/1/1");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1) + rs.getString(2) + rs.getLong(4))
            .isEqualTo("Marketstreetlight6");
        assertThat(rs.next()).isFalse();
      }

      // a reading that arrives late lands in its hour on the next refresh, once
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct)"
                + " SELECT 1, device_pk, '"
                + h0.plusSeconds(60)
                + "', now(), 61 FROM device WHERE device_id = 'bin-1'");
      }
      rollups.refresh(h0, h0.plusSeconds(1));
      rollups.refresh(h0, h0.plusSeconds(1));
      assertThat(
              db.count(
                  "SELECT readings FROM reading_hourly h JOIN device d USING (device_pk)"
                      + " WHERE d.device_id = 'bin-1' AND h.bucket = '"
                      + h0
                      + "'"))
          .isEqualTo(5);
      assertThat(
              db.count(
                  "SELECT sum(readings) FROM reading_ward_hourly WHERE ward = 'Market' AND kind"
                      + " = 'bin'"))
          .isEqualTo(7);
    }
  }
}
