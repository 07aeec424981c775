package io.kerbside.analytics.notify.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.analytics.notify.AlertNotice;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How an {@link AlertNotice} is read from the database: the columns, the joins from an {@code
 * alert_event e} to its alert, council, device and asset, and the row mapping. The outbox routes a
 * notice by it and delivers one by it; both read it the same way.
 */
final class NoticeRows {
  /** The notice's columns, for a query whose FROM has {@code alert_event e} and {@link #JOINS}. */
  static final String COLUMNS =
      "a.alert_id, e.alert_event_id, e.type, c.slug, a.rule, a.kind, a.severity, a.status,"
          + " a.subject, a.summary, a.value, a.peak_value, a.observed_at, a.opened_at,"
          + " a.predicted_at, dv.device_id, s.asset_ref, s.name, s.latitude, s.longitude,"
          + " s.street, coalesce(s.ward, a.ward) AS ward, a.details::text AS details";

  /** From {@code alert_event e} to the alert, its council, device and asset. */
  static final String JOINS =
      " JOIN alert a ON a.alert_id = e.alert_id"
          + " JOIN council c ON c.council_id = a.council_id"
          + " LEFT JOIN device dv ON dv.device_pk = a.device_pk"
          + " LEFT JOIN asset s ON s.council_id = a.council_id"
          + "  AND s.asset_pk = coalesce(a.asset_pk, dv.asset_pk)";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private NoticeRows() {}

  /** The notice on the current row of a query that selected {@link #COLUMNS}. */
  static AlertNotice read(ResultSet rs) throws SQLException {
    Optional<AlertNotice.AssetLocation> asset = Optional.empty();
    String assetRef = rs.getString("asset_ref");
    if (assetRef != null) {
      asset =
          Optional.of(
              new AlertNotice.AssetLocation(
                  assetRef,
                  rs.getString("name"),
                  rs.getDouble("latitude"),
                  rs.getDouble("longitude"),
                  rs.getString("street"),
                  rs.getString("ward")));
    }
    Map<String, Object> details;
    try {
      String raw = rs.getString("details");
      details = raw == null ? Map.of() : JSON.readValue(raw, MAP);
    } catch (IOException e) {
      throw new SQLException("alert.details is not a JSON object", e);
    }
    return new AlertNotice(
        rs.getLong("alert_id"),
        rs.getLong("alert_event_id"),
        rs.getString("type"),
        rs.getString("slug"),
        rs.getString("rule"),
        rs.getString("kind"),
        rs.getString("severity"),
        rs.getString("status"),
        rs.getString("subject"),
        rs.getString("summary"),
        nullableDouble(rs, "value"),
        nullableDouble(rs, "peak_value"),
        instant(rs, "observed_at"),
        instant(rs, "opened_at"),
        Optional.ofNullable(instant(rs, "predicted_at")),
        rs.getString("device_id"),
        asset,
        details);
  }

  private static Double nullableDouble(ResultSet rs, String col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }
}
