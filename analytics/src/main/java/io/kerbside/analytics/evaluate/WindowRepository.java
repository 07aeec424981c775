package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.rules.WindowReading;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads stored readings for evaluation: which devices have new ones, and their windows. */
final class WindowRepository {
  /** Each kind's metrics: a device's window reads only the columns its kind can carry. */
  private static final Map<DeviceKind, Metric[]> METRICS = new EnumMap<>(DeviceKind.class);

  static {
    for (DeviceKind kind : DeviceKind.values()) {
      METRICS.put(
          kind, Stream.of(Metric.values()).filter(m -> m.appliesTo(kind)).toArray(Metric[]::new));
    }
  }

  /**
   * Devices with readings committed after {@code storedAfter}, the newest reading time among those
   * readings per device, and the newest commit time seen.
   */
  record NewReadings(List<Long> devicePks, Map<Long, Instant> newestTs, Instant newestStoredAt) {}

  NewReadings committedSince(Connection c, Instant storedAfter, Instant notOlderThan)
      throws SQLException {
    List<Long> pks = new ArrayList<>();
    Map<Long, Instant> newestTs = new HashMap<>();
    Instant newest = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT device_pk, max(stored_at), max(ts) FROM reading"
                + " WHERE stored_at > ? AND ts > ? GROUP BY device_pk")) {
      ps.setTimestamp(1, Timestamp.from(storedAfter));
      ps.setTimestamp(2, Timestamp.from(notOlderThan));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pks.add(rs.getLong(1));
          newestTs.put(rs.getLong(1), rs.getTimestamp(3).toInstant());
          Instant at = rs.getTimestamp(2).toInstant();
          if (newest == null || at.isAfter(newest)) {
            newest = at;
          }
        }
      }
    }
    return new NewReadings(pks, newestTs, newest);
  }

  /** Readings stored after a point that are too old to evaluate. */
  record Skipped(long count, Instant newestStoredAt) {}

  /**
   * How many readings stored after {@code storedAfter} are not newer than {@code notOlderThan}, and
   * the newest time one of them was stored. It reads every partition (old readings can be stored at
   * any time), so the pass asks it seldom, not at every poll.
   */
  Skipped skippedSince(Connection c, Instant storedAfter, Instant notOlderThan)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*), max(stored_at) FROM reading WHERE stored_at > ? AND ts <= ?")) {
      ps.setTimestamp(1, Timestamp.from(storedAfter));
      ps.setTimestamp(2, Timestamp.from(notOlderThan));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Timestamp newest = rs.getTimestamp(2);
        return new Skipped(rs.getLong(1), newest == null ? null : newest.toInstant());
      }
    }
  }

  /**
   * The readings of {@code devicePks} (devices of {@code kind}) newer than {@code from}, oldest
   * first, by device.
   */
  Map<Long, List<StoredReading>> readings(
      Connection c, DeviceKind kind, Collection<Long> devicePks, Instant from) throws SQLException {
    return readings(c, kind, devicePks, from, null);
  }

  /** The devices' readings with {@code from < ts < to} ({@code to} null: no upper bound). */
  Map<Long, List<StoredReading>> readings(
      Connection c, DeviceKind kind, Collection<Long> devicePks, Instant from, Instant to)
      throws SQLException {
    Map<Long, List<StoredReading>> out = new HashMap<>();
    if (devicePks.isEmpty()) {
      return out;
    }
    Metric[] metrics = METRICS.get(kind);
    Array pks = c.createArrayOf("bigint", devicePks.toArray());
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT device_pk, ts, seq, stored_at, "
                + Stream.of(metrics).map(Metric::code).collect(Collectors.joining(", "))
                + " FROM reading WHERE device_pk = ANY(?) AND ts > ?"
                + (to == null ? "" : " AND ts < ?")
                + " ORDER BY device_pk, ts")) {
      ps.setArray(1, pks);
      ps.setTimestamp(2, Timestamp.from(from));
      if (to != null) {
        ps.setTimestamp(3, Timestamp.from(to));
      }
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long pk = rs.getLong(1);
          Instant ts = rs.getTimestamp(2).toInstant();
          long seq = rs.getLong(3);
          Long seqOrNull = rs.wasNull() ? null : seq;
          Instant storedAt = rs.getTimestamp(4).toInstant();
          Map<Metric, Double> values = new EnumMap<>(Metric.class);
          for (int i = 0; i < metrics.length; i++) {
            // Flags (lamp_on) are boolean columns; rules see them as 1 or 0.
            double v = metrics[i].isFlag() ? (rs.getBoolean(5 + i) ? 1 : 0) : rs.getDouble(5 + i);
            if (!rs.wasNull()) {
              values.put(metrics[i], v);
            }
          }
          out.computeIfAbsent(pk, k -> new ArrayList<>())
              .add(new StoredReading(pk, new WindowReading(ts, seqOrNull, values), storedAt));
        }
      }
    }
    return out;
  }

  /** The readings of the devices in {@code subjects} newer than {@code from}, by device. */
  Map<Long, List<StoredReading>> readings(Connection c, Map<Long, DeviceKind> kinds, Instant from)
      throws SQLException {
    return readings(c, kinds, from, null);
  }

  /** The devices' readings with {@code from < ts < to} ({@code to} null: no upper bound). */
  Map<Long, List<StoredReading>> readings(
      Connection c, Map<Long, DeviceKind> kinds, Instant from, Instant to) throws SQLException {
    Map<DeviceKind, List<Long>> byKind = new EnumMap<>(DeviceKind.class);
    kinds.forEach((pk, kind) -> byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(pk));
    Map<Long, List<StoredReading>> out = new HashMap<>();
    for (Map.Entry<DeviceKind, List<Long>> e : byKind.entrySet()) {
      out.putAll(readings(c, e.getKey(), e.getValue(), from, to));
    }
    return out;
  }

  /**
   * The devices with readings in {@code [from, to)}, of one council or of all ({@code councilId}
   * null), in ascending order.
   */
  List<Long> devicesWithReadings(Connection c, Instant from, Instant to, Integer councilId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT device_pk FROM reading WHERE ts >= ? AND ts < ?"
                + (councilId == null ? "" : " AND council_id = ?")
                + " ORDER BY device_pk")) {
      ps.setTimestamp(1, Timestamp.from(from));
      ps.setTimestamp(2, Timestamp.from(to));
      if (councilId != null) {
        ps.setInt(3, councilId);
      }
      List<Long> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    }
  }
}
