package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.rules.WindowReading;
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
  private static final Metric[] METRICS = Metric.values();
  private static final String COLUMNS =
      Stream.of(METRICS).map(Metric::code).collect(Collectors.joining(", "));

  /** Devices with readings committed after {@code storedAfter}, and the newest commit time seen. */
  record NewReadings(List<Long> devicePks, Instant newestStoredAt) {}

  NewReadings committedSince(Connection c, Instant storedAfter, Instant notOlderThan)
      throws SQLException {
    List<Long> pks = new ArrayList<>();
    Instant newest = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT device_pk, max(stored_at) FROM reading"
                + " WHERE stored_at > ? AND ts > ? GROUP BY device_pk")) {
      ps.setTimestamp(1, Timestamp.from(storedAfter));
      ps.setTimestamp(2, Timestamp.from(notOlderThan));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pks.add(rs.getLong(1));
          Instant at = rs.getTimestamp(2).toInstant();
          if (newest == null || at.isAfter(newest)) {
            newest = at;
          }
        }
      }
    }
    return new NewReadings(pks, newest);
  }

  /** The readings of {@code devicePks} newer than {@code from}, oldest first, by device. */
  Map<Long, List<StoredReading>> readings(Connection c, Collection<Long> devicePks, Instant from)
      throws SQLException {
    Map<Long, List<StoredReading>> out = new HashMap<>();
    Array pks = c.createArrayOf("bigint", devicePks.toArray());
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT device_pk, ts, seq, stored_at, "
                + COLUMNS
                + " FROM reading WHERE device_pk = ANY(?) AND ts > ? ORDER BY device_pk, ts")) {
      ps.setArray(1, pks);
      ps.setTimestamp(2, Timestamp.from(from));
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long pk = rs.getLong(1);
          Instant ts = rs.getTimestamp(2).toInstant();
          long seq = rs.getLong(3);
          Long seqOrNull = rs.wasNull() ? null : seq;
          Instant storedAt = rs.getTimestamp(4).toInstant();
          Map<Metric, Double> values = new EnumMap<>(Metric.class);
          for (int i = 0; i < METRICS.length; i++) {
            // Flags (lamp_on) are boolean columns; rules see them as 1 or 0.
            double v = METRICS[i].isFlag() ? (rs.getBoolean(5 + i) ? 1 : 0) : rs.getDouble(5 + i);
            if (!rs.wasNull()) {
              values.put(METRICS[i], v);
            }
          }
          out.computeIfAbsent(pk, k -> new ArrayList<>())
              .add(new StoredReading(pk, new WindowReading(ts, seqOrNull, values), storedAt));
        }
      }
    }
    return out;
  }
}
