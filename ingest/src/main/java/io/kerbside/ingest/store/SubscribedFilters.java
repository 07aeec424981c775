package io.kerbside.ingest.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The topic filters each MQTT client id has subscribed to, in {@code mqtt_subscription}. The broker
 * keeps a persistent session's subscriptions across restarts and MQTT 3.1.1 cannot list them, so
 * this record is how ingest finds, at start-up, the filters an earlier run subscribed to that are
 * no longer configured. Filters are as subscribed at the broker, {@code $share/<group>/} prefix
 * included.
 *
 * <p>Blocking JDBC, thread-safe: call it from start-up or worker threads, never an event loop.
 */
public final class SubscribedFilters {
  private final DataSource dataSource;

  public SubscribedFilters(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The filters recorded for {@code clientId}, in order. */
  public SortedSet<String> recorded(String clientId) throws SQLException {
    SortedSet<String> filters = new TreeSet<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT topic_filter FROM mqtt_subscription WHERE client_id = ?")) {
      ps.setString(1, clientId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          filters.add(rs.getString(1));
        }
      }
    }
    return filters;
  }

  /**
   * Records {@code filters} as subscribed by {@code clientId}; a filter already recorded keeps the
   * time it was first subscribed.
   */
  public void record(String clientId, Collection<String> filters) throws SQLException {
    if (filters.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO mqtt_subscription (client_id, topic_filter)"
                    + " SELECT ?, unnest(?::text[]) ON CONFLICT DO NOTHING")) {
      ps.setString(1, clientId);
      ps.setArray(2, c.createArrayOf("text", filters.toArray()));
      ps.executeUpdate();
    }
  }

  /** Forgets {@code filters} of {@code clientId} once the broker confirmed unsubscribing them. */
  public void forget(String clientId, Collection<String> filters) throws SQLException {
    if (filters.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM mqtt_subscription WHERE client_id = ? AND topic_filter = ANY (?)")) {
      ps.setString(1, clientId);
      ps.setArray(2, c.createArrayOf("text", filters.toArray()));
      ps.executeUpdate();
    }
  }
}
