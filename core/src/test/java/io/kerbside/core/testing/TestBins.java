package io.kerbside.core.testing;

import io.kerbside.core.CouncilRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Bins with a sensor and their fill readings, written straight into a test database. */
public final class TestBins {
  private TestBins() {}

  /**
   * A bin asset {@code ref} on {@code street} (null: none) in ward Market, with a device {@code
   * dev-<ref>} attached; returns its asset_pk.
   */
  public static long bin(Connection c, CouncilRef council, String ref, String street)
      throws Exception {
    long pk;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, street, ward)"
                + " VALUES (?, ?, 'bin', 52.2, 0.12, ?, 'Market') RETURNING asset_pk")) {
      ps.setInt(1, council.id());
      ps.setString(2, ref);
      ps.setString(3, street);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        pk = rs.getLong(1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at)"
                + " VALUES (?, ?, 'bin', ?, now())")) {
      ps.setInt(1, council.id());
      ps.setString(2, "dev-" + ref.toLowerCase(Locale.ROOT).replace('/', '-'));
      ps.setLong(3, pk);
      ps.executeUpdate();
    }
    return pk;
  }

  /**
   * Hourly readings in {@code [from, to)} of a bin filling at {@code perHour} (capped at 100 %),
   * emptied to 0 every {@code emptyEveryHours}.
   */
  public static void readings(
      Connection c,
      CouncilRef council,
      long assetPk,
      Instant from,
      Instant to,
      double perHour,
      int emptyEveryHours)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct)"
                + " SELECT ?, device_pk, ?, now(), ? FROM device WHERE asset_pk = ?")) {
      double fill = 0;
      int since = 0;
      for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofHours(1))) {
        if (since == emptyEveryHours) {
          fill = 0;
          since = 0;
        }
        ps.setInt(1, council.id());
        ps.setTimestamp(2, Timestamp.from(t));
        ps.setDouble(3, fill);
        ps.setLong(4, assetPk);
        ps.addBatch();
        fill = Math.min(100, fill + perHour);
        since++;
      }
      ps.executeBatch();
    }
  }
}
