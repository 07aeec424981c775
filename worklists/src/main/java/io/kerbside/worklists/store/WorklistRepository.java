package io.kerbside.worklists.store;

import io.kerbside.core.CouncilRef;
import io.kerbside.worklists.AlertItem;
import io.kerbside.worklists.Place;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the work lists read: alerts with their assets, and pavement sections with their recent
 * surface temperatures. Read-only; every query is scoped to one council. Blocking JDBC: call from a
 * worker thread.
 */
public final class WorklistRepository {
  private final DataSource dataSource;

  public WorklistRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The council's alerts of {@code rules} in {@code window}, with the asset they concern (its own,
   * or its device's), by street, asset and opening time. An alert whose asset is unknown has no
   * place and is left out.
   */
  public List<AlertItem> alerts(
      CouncilRef council, List<String> rules, Optional<String> ward, ActiveWindow window)
      throws SQLException {
    String active =
        window.current()
            ? "al.status <> 'resolved'"
            : "al.opened_at < ? AND (al.resolved_at IS NULL OR al.resolved_at >= ?)";
    String sql =
        "SELECT al.alert_id, al.rule, al.severity, al.status, al.summary, al.value,"
            + " al.peak_value, al.opened_at, al.predicted_at, al.assignee, a.asset_pk,"
            + " a.asset_ref, a.name, a.street, coalesce(a.ward, al.ward), a.latitude, a.longitude"
            + " FROM alert al"
            + " LEFT JOIN device d ON d.device_pk = al.device_pk AND d.council_id = al.council_id"
            + " JOIN asset a ON a.council_id = al.council_id"
            + " AND a.asset_pk = coalesce(al.asset_pk, d.asset_pk)"
            + " WHERE al.council_id = ? AND al.rule = ANY (?) AND "
            + active
            + " AND (?::text IS NULL OR coalesce(a.ward, al.ward) = ?)"
            + " ORDER BY coalesce(a.street, ''), a.asset_ref, al.opened_at, al.alert_id";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      Array codes = c.createArrayOf("text", rules.toArray());
      int i = 1;
      ps.setInt(i++, council.id());
      ps.setArray(i++, codes);
      if (!window.current()) {
        ps.setTimestamp(i++, Timestamp.from(window.end()));
        ps.setTimestamp(i++, Timestamp.from(window.start()));
      }
      ps.setString(i++, ward.orElse(null));
      ps.setString(i, ward.orElse(null));
      try (ResultSet rs = ps.executeQuery()) {
        List<AlertItem> items = new ArrayList<>();
        while (rs.next()) {
          items.add(
              new AlertItem(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  nullableDouble(rs, 6),
                  nullableDouble(rs, 7),
                  instant(rs, 8),
                  instant(rs, 9),
                  rs.getString(10),
                  place(rs, 11)));
        }
        return items;
      }
    }
  }

  /**
   * Every pavement section of the council (not removed) with its surface temperatures from {@code
   * from} to {@code asOf}: the latest and the least-squares trend.
   */
  public List<SectionTemperature> sections(
      CouncilRef council, Optional<String> ward, Instant from, Instant asOf) throws SQLException {
    String sql =
        "WITH sec AS ("
            + " SELECT asset_pk, asset_ref, name, street, ward, latitude, longitude,"
            + " pavement_use, street_type FROM asset"
            + " WHERE council_id = ? AND kind = 'pavement' AND status <> 'removed'"
            + " AND (?::text IS NULL OR ward = ?)),"
            + " temps AS ("
            + " SELECT d.asset_pk,"
            + " (array_agg(r.surface_temp_c ORDER BY r.ts DESC))[1] AS latest_c,"
            + " regr_slope(r.surface_temp_c, extract(epoch FROM r.ts)) * 3600 AS slope,"
            + " count(*) AS n"
            + " FROM reading r JOIN device d ON d.device_pk = r.device_pk"
            + " WHERE r.council_id = ? AND d.council_id = ? AND d.asset_pk IN (SELECT asset_pk FROM sec)"
            + " AND r.ts > ? AND r.ts <= ? AND r.surface_temp_c IS NOT NULL"
            + " GROUP BY d.asset_pk)"
            + " SELECT sec.asset_pk, sec.asset_ref, sec.name, sec.street, sec.ward, sec.latitude,"
            + " sec.longitude, sec.pavement_use, sec.street_type, temps.latest_c, temps.slope,"
            + " coalesce(temps.n, 0)"
            + " FROM sec LEFT JOIN temps USING (asset_pk)"
            + " ORDER BY coalesce(sec.street, ''), sec.asset_ref";
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, council.id());
      ps.setString(2, ward.orElse(null));
      ps.setString(3, ward.orElse(null));
      ps.setInt(4, council.id());
      ps.setInt(5, council.id());
      ps.setTimestamp(6, Timestamp.from(from));
      ps.setTimestamp(7, Timestamp.from(asOf));
      try (ResultSet rs = ps.executeQuery()) {
        List<SectionTemperature> sections = new ArrayList<>();
        while (rs.next()) {
          sections.add(
              new SectionTemperature(
                  place(rs, 1),
                  rs.getString(8),
                  rs.getString(9),
                  nullableDouble(rs, 10),
                  nullableDouble(rs, 11),
                  rs.getInt(12)));
        }
        return sections;
      }
    }
  }

  /** The asset's columns from {@code first}: pk, ref, name, street, ward, latitude, longitude. */
  private static Place place(ResultSet rs, int first) throws SQLException {
    return new Place(
        rs.getLong(first),
        rs.getString(first + 1),
        nullToEmpty(rs.getString(first + 2)),
        nullToEmpty(rs.getString(first + 3)),
        nullToEmpty(rs.getString(first + 4)),
        rs.getDouble(first + 5),
        rs.getDouble(first + 6));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static Double nullableDouble(ResultSet rs, int i) throws SQLException {
    double v = rs.getDouble(i);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, int i) throws SQLException {
    OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
