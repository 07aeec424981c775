package io.kerbside.analytics.notify.outbox;

import io.kerbside.analytics.notify.AlertNotice;
import io.kerbside.analytics.notify.Routing;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;

/**
 * The delivery outbox in SQL: routes newly recorded alert events into deliveries, claims due
 * deliveries, loads the notices they carry and records every attempt in {@code delivery_attempt}.
 * Thread-safe; every method uses its own connection.
 *
 * <p>Routing ({@link #routeNew}) is the only place deliveries are queued. In one transaction it
 * locks a batch of events whose {@code routed_at} is still null with {@code FOR UPDATE SKIP
 * LOCKED}, inserts one delivery per channel the routes name ({@code ON CONFLICT DO NOTHING} on the
 * {@code (alert_event_id, channel)} key) and sets {@code routed_at}; so whichever process recorded
 * the step, and however many workers run, each event is routed once.
 *
 * <p>A claim is a lease: in one statement it picks due pending rows with {@code FOR UPDATE SKIP
 * LOCKED}, counts the attempt and moves {@code next_attempt_at} past the lease, so no other worker
 * (in this process or another) picks the same row while it is being delivered. If the worker dies
 * mid-delivery the row becomes due again when the lease ends. Completing is guarded by the attempt
 * number, so a worker whose lease ran out cannot overwrite a later attempt's result.
 */
public final class DeliveryRepository {

  // OF e: only the event is locked, not the alert a person may be acting on at the same moment.
  private static final String UNROUTED =
      "SELECT (e.at < now() - make_interval(secs => ?)) AS too_old, "
          + NoticeRows.COLUMNS
          + " FROM alert_event e"
          + NoticeRows.JOINS
          + " WHERE e.routed_at IS NULL"
          + " ORDER BY e.alert_event_id LIMIT ? FOR UPDATE OF e SKIP LOCKED";

  private static final String QUEUE =
      "INSERT INTO delivery (alert_event_id, alert_id, channel) VALUES (?, ?, ?)"
          + " ON CONFLICT (alert_event_id, channel) DO NOTHING";

  private static final String ROUTED =
      "UPDATE alert_event SET routed_at = now() WHERE alert_event_id = ANY (?)";

  private static final String CLAIM =
      "UPDATE delivery d SET attempts = d.attempts + 1,"
          + " next_attempt_at = now() + make_interval(secs => ?)"
          + " FROM (SELECT delivery_id FROM delivery"
          + "       WHERE status = 'pending' AND next_attempt_at <= now()"
          + "       ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due"
          + " WHERE d.delivery_id = due.delivery_id"
          + " RETURNING d.delivery_id, d.channel, d.attempts, d.created_at";

  private static final String NOTICES =
      "SELECT d.delivery_id, "
          + NoticeRows.COLUMNS
          + " FROM delivery d JOIN alert_event e ON e.alert_event_id = d.alert_event_id"
          + NoticeRows.JOINS
          + " WHERE d.delivery_id = ANY (?)";

  private static final String ATTEMPT =
      "INSERT INTO delivery_attempt (delivery_id, attempt, outcome, status_code, error, duration_ms)"
          + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  private static final String DELIVERED =
      "UPDATE delivery SET status = 'delivered', delivered_at = now(), external_id = ?,"
          + " last_error = NULL"
          + " WHERE delivery_id = ? AND attempts = ? AND status = 'pending'"
          + " RETURNING extract(epoch FROM delivered_at - created_at) * 1000";

  private static final String RETRY =
      "UPDATE delivery SET next_attempt_at = now() + make_interval(secs => ?), last_error = ?"
          + " WHERE delivery_id = ? AND attempts = ? AND status = 'pending'";

  private static final String GAVE_UP =
      "UPDATE delivery SET status = 'gave_up', last_error = ?"
          + " WHERE delivery_id = ? AND attempts = ? AND status = 'pending'";

  // The request raised for the alert's latest occurrence only: an older request's closure must
  // not resolve a reopened alert.
  private static final String OPEN_REQUESTS =
      "SELECT d.delivery_id, d.alert_id, d.channel, d.external_id"
          + " FROM delivery d JOIN alert a ON a.alert_id = d.alert_id"
          + " WHERE d.channel = ANY (?) AND d.status = 'delivered' AND d.external_id IS NOT NULL"
          + "   AND a.status <> 'resolved'"
          + "   AND NOT EXISTS (SELECT 1 FROM alert_event e WHERE e.alert_id = d.alert_id"
          + "     AND e.type IN ('opened', 'reopened') AND e.alert_event_id > d.alert_event_id)"
          + " ORDER BY d.delivery_id LIMIT ?";

  private final DataSource ds;

  public DeliveryRepository(DataSource ds) {
    this.ds = ds;
  }

  /**
   * What one routing transaction did.
   *
   * @param events the events it routed (marked routed)
   * @param deliveries the deliveries it queued
   * @param unmatched events no route matched: routed, with no delivery
   * @param tooOld events older than the horizon: routed, with no delivery
   */
  public record Routed(int events, int deliveries, int unmatched, int tooOld) {
    public static final Routed NONE = new Routed(0, 0, 0, 0);
  }

  /**
   * Routes up to {@code limit} events not routed yet, oldest first, in one transaction: queues a
   * pending delivery per channel {@code routing} names and marks every event routed, those no route
   * matches and those recorded more than {@code horizon} ago (queued with no delivery) included.
   * Events another worker is routing at the same moment are skipped, not waited for.
   */
  public Routed routeNew(int limit, Routing routing, Duration horizon) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<Long> events = new ArrayList<>();
        List<AlertNotice> toQueue = new ArrayList<>();
        int tooOld = 0;
        try (PreparedStatement st = c.prepareStatement(UNROUTED)) {
          st.setDouble(1, horizon.toMillis() / 1000.0);
          st.setInt(2, limit);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              AlertNotice n = NoticeRows.read(rs);
              events.add(n.alertEventId());
              if (rs.getBoolean("too_old")) {
                tooOld++;
              } else {
                toQueue.add(n);
              }
            }
          }
        }
        if (events.isEmpty()) {
          c.rollback();
          return Routed.NONE;
        }
        int deliveries = 0;
        int unmatched = 0;
        try (PreparedStatement st = c.prepareStatement(QUEUE)) {
          for (AlertNotice n : toQueue) {
            List<String> channels = routing.channelsFor(n);
            if (channels.isEmpty()) {
              unmatched++;
            }
            for (String channel : channels) {
              st.setLong(1, n.alertEventId());
              st.setLong(2, n.alertId());
              st.setString(3, channel);
              st.addBatch();
              deliveries++;
            }
          }
          if (deliveries > 0) {
            st.executeBatch();
          }
        }
        try (PreparedStatement st = c.prepareStatement(ROUTED)) {
          st.setArray(1, c.createArrayOf("bigint", events.toArray()));
          st.executeUpdate();
        }
        c.commit();
        return new Routed(events.size(), deliveries, unmatched, tooOld);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Claims up to {@code limit} due pending deliveries for {@code lease}, with their notices. */
  public List<ClaimedDelivery> claimDue(int limit, Duration lease) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      Map<Long, Object[]> claimed = new HashMap<>();
      try (PreparedStatement st = c.prepareStatement(CLAIM)) {
        st.setDouble(1, lease.toMillis() / 1000.0);
        st.setInt(2, limit);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            claimed.put(
                rs.getLong(1),
                new Object[] {rs.getString(2), rs.getInt(3), rs.getTimestamp(4).toInstant()});
          }
        }
      }
      if (claimed.isEmpty()) {
        return List.of();
      }
      List<ClaimedDelivery> out = new ArrayList<>(claimed.size());
      Array ids = c.createArrayOf("bigint", claimed.keySet().toArray());
      try (PreparedStatement st = c.prepareStatement(NOTICES)) {
        st.setArray(1, ids);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong("delivery_id");
            Object[] row = claimed.get(id);
            out.add(
                new ClaimedDelivery(
                    id, (String) row[0], (Integer) row[1], (Instant) row[2], NoticeRows.read(rs)));
          }
        }
      }
      out.sort((a, b) -> Long.compare(a.deliveryId(), b.deliveryId()));
      return out;
    }
  }

  /**
   * Records a successful attempt.
   *
   * @return the time from queueing to delivery when this call completed the delivery; empty when a
   *     later attempt had already taken it over
   */
  public Optional<Duration> markDelivered(
      ClaimedDelivery d, Optional<String> externalId, OptionalInt statusCode, Duration took)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        Optional<Duration> latency = Optional.empty();
        try (PreparedStatement st = c.prepareStatement(DELIVERED)) {
          st.setString(1, externalId.orElse(null));
          st.setLong(2, d.deliveryId());
          st.setInt(3, d.attempt());
          try (ResultSet rs = st.executeQuery()) {
            if (rs.next()) {
              latency = Optional.of(Duration.ofNanos((long) (rs.getDouble(1) * 1_000_000)));
            }
          }
        }
        attempt(c, d, "delivered", statusCode, null, took);
        c.commit();
        return latency;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Records a failed attempt and when to try again. */
  public boolean markRetry(
      ClaimedDelivery d, String error, OptionalInt statusCode, Duration took, Duration delay)
      throws SQLException {
    return complete(
        d,
        "failed",
        statusCode,
        error,
        took,
        RETRY,
        st -> {
          st.setDouble(1, delay.toMillis() / 1000.0);
          st.setString(2, error);
          st.setLong(3, d.deliveryId());
          st.setInt(4, d.attempt());
        });
  }

  /** Records the last failed attempt and that delivery has been given up. */
  public boolean markGaveUp(ClaimedDelivery d, String error, OptionalInt statusCode, Duration took)
      throws SQLException {
    return complete(
        d,
        "gave_up",
        statusCode,
        error,
        took,
        GAVE_UP,
        st -> {
          st.setString(1, error);
          st.setLong(2, d.deliveryId());
          st.setInt(3, d.attempt());
        });
  }

  /** Works requests on the given channels whose alerts are still active, oldest first. */
  public List<Open311Request> openRequests(Collection<String> channels, int limit)
      throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement st = c.prepareStatement(OPEN_REQUESTS)) {
      st.setArray(1, c.createArrayOf("text", channels.toArray()));
      st.setInt(2, limit);
      List<Open311Request> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Open311Request(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
        }
      }
      return out;
    }
  }

  /** Replaces a token with the service request id the works system has since given. */
  public void updateExternalId(long deliveryId, String externalId) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement("UPDATE delivery SET external_id = ? WHERE delivery_id = ?")) {
      st.setString(1, externalId);
      st.setLong(2, deliveryId);
      st.executeUpdate();
    }
  }

  private interface Binder {
    void bind(PreparedStatement st) throws SQLException;
  }

  private boolean complete(
      ClaimedDelivery d,
      String outcome,
      OptionalInt statusCode,
      String error,
      Duration took,
      String sql,
      Binder binder)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        int n;
        try (PreparedStatement st = c.prepareStatement(sql)) {
          binder.bind(st);
          n = st.executeUpdate();
        }
        attempt(c, d, outcome, statusCode, error, took);
        c.commit();
        return n == 1;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void attempt(
      Connection c,
      ClaimedDelivery d,
      String outcome,
      OptionalInt statusCode,
      String error,
      Duration took)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(ATTEMPT)) {
      st.setLong(1, d.deliveryId());
      st.setInt(2, d.attempt());
      st.setString(3, outcome);
      if (statusCode.isPresent()) {
        st.setInt(4, statusCode.getAsInt());
      } else {
        st.setNull(4, Types.INTEGER);
      }
      st.setString(5, error == null ? null : truncate(error, 2000));
      st.setDouble(6, took.toNanos() / 1e6);
      st.executeUpdate();
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
