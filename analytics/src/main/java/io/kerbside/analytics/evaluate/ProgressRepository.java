package io.kerbside.analytics.evaluate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Analytics' progress: the commit-time cursor and each device's evaluated-until time. */
final class ProgressRepository {
  Optional<Instant> cursor(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT stored_until FROM analytics_cursor WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
      }
    }
  }

  void advance(Connection c, String name, Instant storedUntil) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO analytics_cursor (name, stored_until) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET stored_until ="
                + " greatest(analytics_cursor.stored_until, excluded.stored_until)")) {
      ps.setString(1, name);
      ps.setTimestamp(2, Timestamp.from(storedUntil));
      ps.executeUpdate();
    }
  }

  /**
   * Records how far each device's readings were evaluated and when the newest of them was
   * committed.
   */
  void evaluated(Connection c, Map<Long, Instant> untilByDevice, Map<Long, Instant> heardAt)
      throws SQLException {
    if (untilByDevice.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO analytics_progress (device_pk, evaluated_until, heard_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (device_pk) DO UPDATE SET evaluated_until ="
                + " greatest(analytics_progress.evaluated_until, excluded.evaluated_until),"
                + " heard_at = greatest(analytics_progress.heard_at, excluded.heard_at)")) {
      for (Map.Entry<Long, Instant> e : untilByDevice.entrySet()) {
        ps.setLong(1, e.getKey());
        ps.setTimestamp(2, Timestamp.from(e.getValue()));
        Instant heard = heardAt.get(e.getKey());
        ps.setTimestamp(3, heard == null ? null : Timestamp.from(heard));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
