package io.kerbside.analytics.alerts;

import io.kerbside.core.CouncilRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** What the REST API and the command line read about alerts, always within one council. */
public final class AlertQueries {
  private final DataSource dataSource;

  public AlertQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One alert of {@code council}. */
  public Optional<Alert> find(CouncilRef council, long alertId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return AlertRows.find(c, council, alertId, false);
    }
  }

  /** The history of one alert, oldest first. */
  public List<AlertEvent> history(CouncilRef council, long alertId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT e.alert_event_id, e.at, e.type, e.actor, e.note FROM alert_event e"
                    + " JOIN alert a ON a.alert_id = e.alert_id"
                    + " WHERE a.council_id = ? AND e.alert_id = ? ORDER BY e.alert_event_id")) {
      ps.setInt(1, council.id());
      ps.setLong(2, alertId);
      List<AlertEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AlertEvent(
                  rs.getLong(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5)));
        }
      }
      return out;
    }
  }

  /** Alerts of {@code council} matching {@code filter}, newest first, and the total count. */
  public Listing list(CouncilRef council, AlertFilter filter, int limit, int offset)
      throws SQLException {
    StringBuilder where = new StringBuilder(" WHERE a.council_id = ?");
    List<Object> args = new ArrayList<>();
    args.add(council.id());
    if (filter.activeOnly()) {
      where.append(" AND a.status <> 'resolved'");
    } else if (filter.status().isPresent()) {
      where.append(" AND a.status = ?");
      args.add(filter.status().get());
    }
    filter.kind().ifPresent(v -> add(where, args, " AND a.kind = ?", v));
    filter.rule().ifPresent(v -> add(where, args, " AND a.rule = ?", v));
    filter.ward().ifPresent(v -> add(where, args, " AND a.ward = ?", v));
    filter.severity().ifPresent(v -> add(where, args, " AND a.severity = ?", v));
    filter.from().ifPresent(v -> add(where, args, " AND a.opened_at >= ?", Timestamp.from(v)));
    filter.to().ifPresent(v -> add(where, args, " AND a.opened_at < ?", Timestamp.from(v)));
    try (Connection c = dataSource.getConnection()) {
      long total;
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM alert a" + where)) {
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<Alert> items = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + AlertRows.ALERT_COLUMNS
                  + AlertRows.ALERT_FROM
                  + where
                  + " ORDER BY a.opened_at DESC, a.alert_id DESC LIMIT ? OFFSET ?")) {
        List<Object> all = new ArrayList<>(args);
        all.add(limit);
        all.add(offset);
        bind(ps, all);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(AlertRows.read(rs));
          }
        }
      }
      return new Listing(items, total);
    }
  }

  /** One page of alerts and how many match in all. */
  public record Listing(List<Alert> items, long total) {}

  private static void add(StringBuilder where, List<Object> args, String clause, Object value) {
    where.append(clause);
    args.add(value);
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }
}
