package io.kerbside.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Secret;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import io.kerbside.core.db.ReadingMaintenance;
import io.kerbside.core.db.StorageLayout;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.kerbside.ingest.decode.BinFill;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.DeviceKey;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.RawMessage;
import io.kerbside.ingest.decode.Reading;
import io.kerbside.ingest.store.ReadingBatchWriter;
import io.kerbside.ingest.store.WriteResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bin's fill derived from a distance sensor uses the depth the asset registry knows for the bin
 * the device is attached to, read by the least-privileged ingest role.
 */
class BinDepthIT {
  private static final String LOGIN = "kerbside_it_ingest_depth";
  private static final double PROFILE_DEPTH_MM = 1100;

  private TestDatabase db;
  private HikariDataSource admin;
  private HikariDataSource ingest;
  private CouncilRef council;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    admin = db.migrated();
    council = new Councils(admin).find("default").orElseThrow();
    String password = "it-" + Long.toHexString(System.nanoTime());
    db.createLogin(LOGIN, password, "kerbside_ingest");
    DatabaseConfig c = db.config();
    ingest =
        DataSources.open(
            new DatabaseConfig(
                c.url(),
                LOGIN,
                Secret.of(password),
                2,
                c.storage(),
                c.retentionDays(),
                false,
                c.compressAfterDays()),
            "ingest-it",
            null);
    try (Connection conn = db.connect();
        Statement st = conn.createStatement()) {
      st.execute(
          "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, bin_depth_mm)"
              + " VALUES ("
              + council.id()
              + ", 'B/880', 'bin', 51.5, -0.1, 880), ("
              + council.id()
              + ", 'B/none', 'bin', 51.5, -0.1, NULL)");
      st.execute(
          "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at)"
              + " SELECT council_id, d, 'bin', asset_pk, now() FROM asset,"
              + " (VALUES ('deep', 'B/880'), ('unknown-depth', 'B/none')) v(d, ref)"
              + " WHERE asset_ref = v.ref");
      st.execute(
          "INSERT INTO device (council_id, device_id, kind) VALUES ("
              + council.id()
              + ", 'loose', 'bin')");
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    ingest.close();
    admin.close();
    db.close();
  }

  private Reading reading(String device, Instant at, double distanceMm, boolean fromDistance) {
    double[] values = new double[Metric.values().length];
    Arrays.fill(values, Double.NaN);
    values[Metric.DISTANCE_MM.ordinal()] = distanceMm;
    if (fromDistance) {
      values[Metric.FILL_PCT.ordinal()] = BinFill.percent(PROFILE_DEPTH_MM, distanceMm);
    }
    return new Reading(
        new DeviceKey(council.id(), DeviceKind.BIN, device), at, 1, values, null, fromDistance);
  }

  private double storedFill(String device) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT r.fill_pct FROM reading r JOIN device d USING (device_pk)"
                    + " WHERE d.device_id = '"
                    + device
                    + "'")) {
      assertThat(rs.next()).as(device).isTrue();
      double v = rs.getDouble(1);
      return rs.wasNull() ? Double.NaN : v;
    }
  }

  @Test
  void derivesFillWithTheRegistryDepthOfTheAttachedBinOtherwiseTheProfiles() throws Exception {
    ReadingBatchWriter writer;
    try (Connection c = ingest.getConnection()) {
      writer =
          new ReadingBatchWriter(
              ingest,
              StorageLayout.detect(c),
              new ReadingMaintenance(ingest, 395, Clock.systemUTC()),
              false,
              30,
              65536,
              Clock.systemUTC());
    }
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    RawMessage raw =
        new RawMessage(council, PayloadFormat.TTN, "v3/app@ttn/devices/x/up", new byte[0], at);
    List<Reading> readings =
        List.of(
            reading("deep", at, 440, true),
            reading("unknown-depth", at, 440, true),
            reading("loose", at, 440, true));
    WriteResult result = writer.write(List.of(new DecodedMessage(raw, readings, List.of())));
    assertThat(result.rejections()).isEmpty();
    assertThat(result.stored()).isEqualTo(3);

    assertThat(storedFill("deep")).isCloseTo(50, within(1e-9));
    assertThat(storedFill("unknown-depth")).isCloseTo(60, within(1e-9));
    assertThat(storedFill("loose")).isCloseTo(60, within(1e-9));
  }

  /** A clock the test moves on. */
  private static final class SteppedClock extends Clock {
    private Instant now = Instant.now();

    void advance(java.time.Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void readsTheDepthAgainAfterFiveMinutes() throws Exception {
    SteppedClock clock = new SteppedClock();
    ReadingBatchWriter writer;
    try (Connection c = ingest.getConnection()) {
      writer =
          new ReadingBatchWriter(
              ingest,
              StorageLayout.detect(c),
              new ReadingMaintenance(ingest, 395, clock),
              false,
              30,
              65536,
              clock);
    }
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
    RawMessage raw = new RawMessage(council, PayloadFormat.TTN, "t", new byte[0], at);
    writer.write(
        List.of(new DecodedMessage(raw, List.of(reading("deep", at, 440, true)), List.of())));
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("UPDATE asset SET bin_depth_mm = 1760 WHERE asset_ref = 'B/880'");
    }
    Instant later = at.plusSeconds(60);
    writer.write(
        List.of(new DecodedMessage(raw, List.of(reading("deep", later, 440, true)), List.of())));
    clock.advance(java.time.Duration.ofMinutes(5));
    Instant latest = at.plusSeconds(120);
    writer.write(
        List.of(new DecodedMessage(raw, List.of(reading("deep", latest, 440, true)), List.of())));

    assertThat(fillsOf("deep")).containsExactly(50.0, 50.0, 75.0);
  }

  private List<Double> fillsOf(String device) throws Exception {
    List<Double> fills = new java.util.ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT r.fill_pct FROM reading r JOIN device d USING (device_pk)"
                    + " WHERE d.device_id = '"
                    + device
                    + "' ORDER BY r.ts")) {
      while (rs.next()) {
        fills.add(rs.getDouble(1));
      }
    }
    return fills;
  }

  @Test
  void keepsAFillTheDeviceMeasuredItself() throws Exception {
    ReadingBatchWriter writer;
    try (Connection c = ingest.getConnection()) {
      writer =
          new ReadingBatchWriter(
              ingest,
              StorageLayout.detect(c),
              new ReadingMaintenance(ingest, 395, Clock.systemUTC()),
              false,
              30,
              65536,
              Clock.systemUTC());
    }
    Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    RawMessage raw = new RawMessage(council, PayloadFormat.NATIVE, "kerbside/bin/deep", null, at);
    Reading measured = reading("deep", at, 440, false);
    measured.values()[Metric.FILL_PCT.ordinal()] = 70;
    writer.write(List.of(new DecodedMessage(raw, List.of(measured), List.of())));
    assertThat(storedFill("deep")).isEqualTo(70);
  }
}
