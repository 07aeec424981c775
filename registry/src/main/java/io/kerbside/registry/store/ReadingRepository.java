package io.kerbside.registry.store;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Readings seen from the asset side. A device's readings belong to an asset while the device is
 * attached to it; the first attachment of a device reaches back to its first reading, so readings
 * stored before the asset list was imported are not lost. Works on both storage layouts (plain SQL;
 * {@code date_bin} needs PostgreSQL 14 or later).
 */
public final class ReadingRepository {
  private static final Instant BUCKET_ORIGIN = Instant.parse("2000-01-01T00:00:00Z");

  private final DataSource dataSource;

  public ReadingRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Each device's latest reading, by device id; devices without readings are left out. */
  public Map<String, ReadingPoint> latest(CouncilRef council, long assetId, DeviceKind kind)
      throws SQLException {
    List<Metric> metrics = metrics(kind);
    String sql =
        "SELECT d.device_id, r.ts, "
            + columns(metrics, "r.")
            + " FROM device d CROSS JOIN LATERAL (SELECT * FROM reading r"
            + " WHERE r.device_pk = d.device_pk ORDER BY r.ts DESC LIMIT 1) r"
            + " WHERE d.council_id = ? AND d.asset_pk = ? ORDER BY d.device_id";
    Map<String, ReadingPoint> out = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, council.id());
      ps.setLong(2, assetId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String device = rs.getString(1);
          out.put(device, point(rs, rs.getTimestamp(2), device, 1, metrics, 3));
        }
      }
    }
    return out;
  }

  /**
   * The asset's readings in {@code [from, to)}, oldest first: every reading of every device when
   * {@code bucket} is null, else one point per bucket (aligned to 2000-01-01T00:00Z, so days are
   * UTC days) with the averages of each metric.
   */
  public List<ReadingPoint> range(
      CouncilRef council,
      long assetId,
      DeviceKind kind,
      Instant from,
      Instant to,
      Duration bucket,
      int limit,
      int offset)
      throws SQLException {
    List<Metric> metrics = metrics(kind);
    String windows =
        "WITH att AS (SELECT a.device_pk, a.asset_pk,"
            + " CASE WHEN lag(a.attached_at) OVER w IS NULL THEN '-infinity'::timestamptz"
            + " ELSE a.attached_at END AS since,"
            + " coalesce(a.detached_at, 'infinity'::timestamptz) AS until"
            + " FROM device_attachment a WHERE a.council_id = ? AND a.device_pk IN"
            + " (SELECT device_pk FROM device_attachment WHERE council_id = ? AND asset_pk = ?)"
            + " WINDOW w AS (PARTITION BY a.device_pk ORDER BY a.attached_at))";
    String join =
        " FROM att JOIN device d ON d.device_pk = att.device_pk"
            + " JOIN reading r ON r.device_pk = att.device_pk AND r.council_id = ?"
            + " AND r.ts >= att.since AND r.ts < att.until"
            + " WHERE att.asset_pk = ? AND r.ts >= ? AND r.ts < ?";
    String sql =
        bucket == null
            ? windows
                + " SELECT r.ts, d.device_id, 1, "
                + columns(metrics, "r.")
                + join
                + " ORDER BY r.ts, d.device_id LIMIT ? OFFSET ?"
            : windows
                + " SELECT date_bin(make_interval(secs => ?), r.ts, ?) AS bucket, NULL, count(*), "
                + metrics.stream()
                    .map(m -> "avg(r." + m.code() + ")")
                    .collect(Collectors.joining(", "))
                + join
                + " GROUP BY bucket ORDER BY bucket LIMIT ? OFFSET ?";
    List<ReadingPoint> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setInt(i++, council.id());
      ps.setInt(i++, council.id());
      ps.setLong(i++, assetId);
      if (bucket != null) {
        ps.setDouble(i++, bucket.toSeconds());
        ps.setTimestamp(i++, Timestamp.from(BUCKET_ORIGIN));
      }
      ps.setInt(i++, council.id());
      ps.setLong(i++, assetId);
      ps.setTimestamp(i++, Timestamp.from(from));
      ps.setTimestamp(i++, Timestamp.from(to));
      ps.setInt(i++, limit);
      ps.setInt(i, offset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(point(rs, rs.getTimestamp(1), rs.getString(2), rs.getLong(3), metrics, 4));
        }
      }
    }
    return out;
  }

  private static ReadingPoint point(
      ResultSet rs, Timestamp at, String device, long count, List<Metric> metrics, int first)
      throws SQLException {
    Map<Metric, Double> values = new EnumMap<>(Metric.class);
    for (int k = 0; k < metrics.size(); k++) {
      double v = rs.getDouble(first + k);
      if (!rs.wasNull()) {
        values.put(metrics.get(k), v);
      }
    }
    return new ReadingPoint(at.toInstant(), device, count, values);
  }

  private static List<Metric> metrics(DeviceKind kind) {
    List<Metric> out = new ArrayList<>();
    for (Metric m : Metric.values()) {
      if (m.appliesTo(kind)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Column names come from {@link Metric} codes, never from callers. */
  private static String columns(List<Metric> metrics, String prefix) {
    return metrics.stream().map(m -> prefix + m.code()).collect(Collectors.joining(", "));
  }
}
