package io.kerbside.analytics.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.core.CouncilRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** How an alert is read from its row (joined with its council, asset and device), in one place. */
final class AlertRows {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ALERT_COLUMNS =
      "a.alert_id, c.slug, a.subject, a.rule, a.kind, a.severity, a.status, a.asset_pk,"
          + " s.asset_ref, a.device_pk, d.device_id, a.ward, a.summary, a.value, a.peak_value,"
          + " a.details::text, a.predicted_at, a.observed_at, a.last_observed_at, a.opened_at,"
          + " a.updated_at, a.acknowledged_at, a.acknowledged_by, a.resolved_at, a.resolved_by,"
          + " a.assignee, a.reopen_count, a.condition_cleared_at";
  static final String ALERT_FROM =
      " FROM alert a JOIN council c ON c.council_id = a.council_id"
          + " LEFT JOIN asset s ON s.asset_pk = a.asset_pk"
          + " LEFT JOIN device d ON d.device_pk = a.device_pk";

  private AlertRows() {}

  /** One alert of {@code council} through {@code c}; {@code lock} takes its row for update. */
  static Optional<Alert> find(Connection c, CouncilRef council, long alertId, boolean lock)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + ALERT_COLUMNS
                + ALERT_FROM
                + " WHERE a.council_id = ? AND a.alert_id = ?"
                + (lock ? " FOR UPDATE OF a" : ""))) {
      ps.setInt(1, council.id());
      ps.setLong(2, alertId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  static Alert read(ResultSet rs) throws SQLException {
    int i = 1;
    return new Alert(
        rs.getLong(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        AlertStatus.fromCode(rs.getString(i++)).orElseThrow(),
        (Long) rs.getObject(i++),
        rs.getString(i++),
        (Long) rs.getObject(i++),
        rs.getString(i++),
        rs.getString(i++),
        rs.getString(i++),
        (Double) rs.getObject(i++),
        (Double) rs.getObject(i++),
        parse(rs.getString(i++)),
        instant(rs.getTimestamp(i++)),
        instant(rs.getTimestamp(i++)),
        instant(rs.getTimestamp(i++)),
        instant(rs.getTimestamp(i++)),
        instant(rs.getTimestamp(i++)),
        instant(rs.getTimestamp(i++)),
        rs.getString(i++),
        instant(rs.getTimestamp(i++)),
        rs.getString(i++),
        rs.getString(i++),
        rs.getInt(i++),
        instant(rs.getTimestamp(i)));
  }

  static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  static String json(Map<String, ?> details) {
    try {
      return JSON.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("alert details are not JSON-serialisable", e);
    }
  }

  static Map<String, Object> parse(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("alert details are not a JSON object", e);
    }
  }
}
