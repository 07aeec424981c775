package io.kerbside.analytics.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.analytics.notify.ExternalResolution;
import io.kerbside.analytics.rules.Evaluation;
import io.kerbside.core.CouncilRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert tables: the lifecycle's writes (open, update, reopen, resolve, escalate), people's
 * actions (acknowledge, assign, note, resolve) and the listings of the REST API and the command
 * line. Every step writes an {@code alert_event}, the notice of that step; it does not route it. A
 * delivery worker later expands each notice into its deliveries by the routes file ({@code
 * notify/outbox}), so a step is delivered whichever process took it.
 *
 * <p>Who took a step is its actor: {@value #SYSTEM_ACTOR} for Kerbside itself, {@code key:<id>...}
 * for an API key, {@code cli:<name>} for a person at a terminal, {@code open311:<channel>} for a
 * works system. People's actions refuse the system actor, so nobody can resolve an alert as if the
 * readings had cleared it.
 */
public final class AlertStore implements ExternalResolution {
  /** The actor recorded for what Kerbside does by itself. */
  public static final String SYSTEM_ACTOR = "kerbside";

  private static final Logger LOG = LoggerFactory.getLogger(AlertStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALERT_COLUMNS =
      "a.alert_id, c.slug, a.subject, a.rule, a.kind, a.severity, a.status, a.asset_pk,"
          + " s.asset_ref, a.device_pk, d.device_id, a.ward, a.summary, a.value, a.peak_value,"
          + " a.details::text, a.predicted_at, a.observed_at, a.last_observed_at, a.opened_at,"
          + " a.updated_at, a.acknowledged_at, a.acknowledged_by, a.resolved_at, a.resolved_by,"
          + " a.assignee, a.reopen_count, a.condition_cleared_at";
  private static final String ALERT_FROM =
      " FROM alert a JOIN council c ON c.council_id = a.council_id"
          + " LEFT JOIN asset s ON s.asset_pk = a.asset_pk"
          + " LEFT JOIN device d ON d.device_pk = a.device_pk";

  private final DataSource dataSource;

  public AlertStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The state the lifecycle needs about one subject and rule. */
  record State(long alertId, AlertStatus status, Double peakValue, Instant lastObservedAt) {}

  /**
   * The keys ({@code council|subject|rule}) of the active alerts of {@code subjects}, in one query:
   * most evaluations find nothing wrong, and a clear with no active alert needs no more.
   */
  java.util.Set<String> activeKeys(Connection c, java.util.Collection<String> subjects)
      throws SQLException {
    java.util.Set<String> out = new java.util.HashSet<>();
    if (subjects.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT council_id, subject, rule FROM alert"
                + " WHERE status <> 'resolved' AND subject = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("text", subjects.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
        }
      }
    }
    return out;
  }

  /** The active alert of a subject and rule, or else its most recent one resolved by Kerbside. */
  Optional<State> state(Connection c, int councilId, String subject, String rule)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT alert_id, status, peak_value, last_observed_at FROM alert"
                + " WHERE council_id = ? AND subject = ? AND rule = ?"
                + " AND (status <> 'resolved' OR resolved_by = '"
                + SYSTEM_ACTOR
                + "')"
                + " ORDER BY (status <> 'resolved') DESC, alert_id DESC LIMIT 1")) {
      ps.setInt(1, councilId);
      ps.setString(2, subject);
      ps.setString(3, rule);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new State(
                rs.getLong(1),
                AlertStatus.fromCode(rs.getString(2)).orElseThrow(),
                (Double) rs.getObject(3),
                rs.getTimestamp(4).toInstant()));
      }
    }
  }

  /**
   * Inserts a new open alert; empty when another evaluator opened one for the same subject and rule
   * first (the partial unique index decides).
   */
  Optional<Long> open(Connection c, Outcome o, Instant now) throws SQLException {
    Evaluation e = o.evaluation();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert (council_id, subject, rule, kind, severity, status, asset_pk,"
                + " device_pk, ward, summary, value, peak_value, details, predicted_at,"
                + " observed_at, last_observed_at, opened_at, updated_at, last_notified_at)"
                + " VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (council_id, subject, rule) WHERE status <> 'resolved' DO NOTHING"
                + " RETURNING alert_id")) {
      int i = 1;
      ps.setInt(i++, o.subject().council().id());
      ps.setString(i++, o.subjectKey());
      ps.setString(i++, o.rule().code());
      ps.setString(i++, o.subject().kind().code());
      ps.setString(i++, o.severity().code());
      Optional<Long> assetPk = o.subject().asset().map(a -> a.assetPk());
      if (assetPk.isPresent()) {
        ps.setLong(i++, assetPk.get());
      } else {
        ps.setNull(i++, Types.BIGINT);
      }
      ps.setLong(i++, o.subject().devicePk());
      ps.setString(i++, o.subject().ward().orElse(null));
      ps.setString(i++, e.summary());
      setDouble(ps, i++, e.value());
      setDouble(ps, i++, e.value());
      ps.setString(i++, json(e.details()));
      ps.setTimestamp(i++, e.predictedAt().map(Timestamp::from).orElse(null));
      ps.setTimestamp(i++, Timestamp.from(e.observedAt()));
      ps.setTimestamp(i++, Timestamp.from(e.observedAt()));
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setTimestamp(i++, Timestamp.from(now));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /** A repeat of an active alert's condition: latest value, peak, summary, prediction. */
  void update(Connection c, long alertId, Evaluation e, Double peak, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE alert SET summary = ?, value = ?, peak_value = ?, details = ?::jsonb,"
                + " predicted_at = ?, last_observed_at = greatest(last_observed_at, ?),"
                + " updated_at = ? WHERE alert_id = ?")) {
      ps.setString(1, e.summary());
      setDouble(ps, 2, e.value());
      setDouble(ps, 3, peak == null ? e.value() : peak);
      ps.setString(4, json(e.details()));
      ps.setTimestamp(5, e.predictedAt().map(Timestamp::from).orElse(null));
      ps.setTimestamp(6, Timestamp.from(e.observedAt()));
      ps.setTimestamp(7, Timestamp.from(now));
      ps.setLong(8, alertId);
      ps.executeUpdate();
    }
  }

  /** Re-opens an alert Kerbside resolved, because its condition came back within the window. */
  boolean reopen(Connection c, long alertId, Evaluation e, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE alert SET status = 'open', resolved_at = NULL, resolved_by = NULL,"
                + " condition_cleared_at = NULL,"
                + " acknowledged_at = NULL, acknowledged_by = NULL, reopen_count = reopen_count + 1,"
                + " summary = ?, value = ?, peak_value = greatest(peak_value, ?),"
                + " details = ?::jsonb, predicted_at = ?, last_observed_at = ?, updated_at = ?,"
                + " last_notified_at = ?"
                + " WHERE alert_id = ? AND status = 'resolved'"
                + " AND NOT EXISTS (SELECT 1 FROM alert o WHERE o.council_id = alert.council_id"
                + " AND o.subject = alert.subject AND o.rule = alert.rule"
                + " AND o.status <> 'resolved')")) {
      ps.setString(1, e.summary());
      setDouble(ps, 2, e.value());
      setDouble(ps, 3, e.value());
      ps.setString(4, json(e.details()));
      ps.setTimestamp(5, e.predictedAt().map(Timestamp::from).orElse(null));
      ps.setTimestamp(6, Timestamp.from(e.observedAt()));
      ps.setTimestamp(7, Timestamp.from(now));
      ps.setTimestamp(8, Timestamp.from(now));
      ps.setLong(9, alertId);
      return ps.executeUpdate() == 1;
    }
  }

  /** Resolves an active alert; false when it was no longer active. */
  boolean resolve(Connection c, long alertId, String actor, Instant now) throws SQLException {
    return resolve(c, alertId, actor, now, null);
  }

  /**
   * Resolves an active alert whose condition the readings showed cleared at {@code clearedAt} (null
   * when a person resolves it); false when it was no longer active.
   */
  boolean resolve(Connection c, long alertId, String actor, Instant now, Instant clearedAt)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE alert SET status = 'resolved', resolved_at = ?, resolved_by = ?, updated_at = ?,"
                + " condition_cleared_at = ?"
                + " WHERE alert_id = ? AND status <> 'resolved'")) {
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setString(2, actor);
      ps.setTimestamp(3, Timestamp.from(now));
      ps.setTimestamp(4, clearedAt == null ? null : Timestamp.from(clearedAt));
      ps.setLong(5, alertId);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Records a step of an alert's life; a delivery worker routes it to the channels later.
   *
   * @return the event's id
   */
  long event(
      Connection c, long alertId, String type, String actor, String note, Map<String, ?> details)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert_event (alert_id, type, actor, note, details)"
                + " VALUES (?, ?, ?, ?, ?::jsonb) RETURNING alert_event_id")) {
      ps.setLong(1, alertId);
      ps.setString(2, type);
      ps.setString(3, actor);
      ps.setString(4, note);
      ps.setString(5, details == null || details.isEmpty() ? null : json(details));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Re-notifies unacknowledged alerts of {@code severity} that nobody has been told about for
   * {@code after}; returns how many were escalated.
   */
  public int escalate(Connection c, String severity, Duration after, Instant now)
      throws SQLException {
    List<Long> due = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE alert SET last_notified_at = ? WHERE status = 'open' AND severity = ?"
                + " AND last_notified_at < ? RETURNING alert_id")) {
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setString(2, severity);
      ps.setTimestamp(3, Timestamp.from(now.minus(after)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          due.add(rs.getLong(1));
        }
      }
    }
    for (long id : due) {
      event(c, id, "escalated", SYSTEM_ACTOR, "not acknowledged within " + after, Map.of());
    }
    return due.size();
  }

  // ---- people's actions ---------------------------------------------------------------------

  /** Acknowledges an open alert. */
  public Alert acknowledge(CouncilRef council, long alertId, String actor, String note)
      throws SQLException, AlertActionException {
    return act(
        council,
        alertId,
        actor,
        (c, current) -> {
          if (current.status() != AlertStatus.OPEN) {
            throw new AlertActionException(
                AlertActionException.Reason.CONFLICT,
                "alert " + alertId + " is " + current.status().code() + ", not open");
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alert SET status = 'acknowledged', acknowledged_at = now(),"
                      + " acknowledged_by = ?, updated_at = now() WHERE alert_id = ?")) {
            ps.setString(1, actor);
            ps.setLong(2, alertId);
            ps.executeUpdate();
          }
          event(c, alertId, "acknowledged", actor, note, Map.of());
        });
  }

  /** Resolves an active alert by hand. */
  public Alert resolveByPerson(CouncilRef council, long alertId, String actor, String note)
      throws SQLException, AlertActionException {
    return act(
        council,
        alertId,
        actor,
        (c, current) -> {
          if (!current.status().isActive()) {
            throw new AlertActionException(
                AlertActionException.Reason.CONFLICT, "alert " + alertId + " is already resolved");
          }
          resolve(c, alertId, actor, Instant.now());
          event(c, alertId, "resolved", actor, note, Map.of());
        });
  }

  /** Assigns an alert to a person or team (null or blank clears the assignee). */
  public Alert assign(CouncilRef council, long alertId, String actor, String assignee)
      throws SQLException, AlertActionException {
    String who = assignee == null || assignee.isBlank() ? null : assignee.strip();
    return act(
        council,
        alertId,
        actor,
        (c, current) -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE alert SET assignee = ?, updated_at = now() WHERE alert_id = ?")) {
            ps.setString(1, who);
            ps.setLong(2, alertId);
            ps.executeUpdate();
          }
          event(
              c,
              alertId,
              "assigned",
              actor,
              who == null ? "unassigned" : "assigned to " + who,
              Map.of());
        });
  }

  /** Adds a free-text note to an alert's history. */
  public Alert note(CouncilRef council, long alertId, String actor, String note)
      throws SQLException, AlertActionException {
    if (note == null || note.isBlank()) {
      throw new AlertActionException(AlertActionException.Reason.CONFLICT, "a note needs text");
    }
    return act(
        council, alertId, actor, (c, current) -> event(c, alertId, "note", actor, note, Map.of()));
  }

  @Override
  public boolean resolve(long alertId, String actor, String note) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean done = resolve(c, alertId, actor, Instant.now());
        if (done) {
          event(c, alertId, "resolved", actor, note, Map.of());
        }
        c.commit();
        return done;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      LOG.warn("alert {} - resolution by {} failed", alertId, actor, e);
      return false;
    }
  }

  /**
   * A person's action must name a person: never Kerbside itself, whose resolutions the lifecycle
   * treats as the readings clearing the condition (and re-opens when it returns).
   */
  private static void personOnly(String actor) {
    if (actor == null || actor.isBlank() || actor.strip().equals(SYSTEM_ACTOR)) {
      throw new IllegalArgumentException(
          "a person's action needs an actor other than '" + SYSTEM_ACTOR + "'");
    }
  }

  private interface Action {
    void apply(Connection c, Alert current) throws SQLException, AlertActionException;
  }

  private Alert act(CouncilRef council, long alertId, String actor, Action action)
      throws SQLException, AlertActionException {
    personOnly(actor);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Alert current =
            find(c, council, alertId, true)
                .orElseThrow(
                    () ->
                        new AlertActionException(
                            AlertActionException.Reason.NOT_FOUND, "no alert " + alertId));
        action.apply(c, current);
        Alert after = find(c, council, alertId, false).orElseThrow();
        c.commit();
        return after;
      } catch (SQLException | AlertActionException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  // ---- reading --------------------------------------------------------------------------------

  /** One alert of {@code council}. */
  public Optional<Alert> find(CouncilRef council, long alertId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return find(c, council, alertId, false);
    }
  }

  private Optional<Alert> find(Connection c, CouncilRef council, long alertId, boolean lock)
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
        return rs.next() ? Optional.of(alert(rs)) : Optional.empty();
      }
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
                  + ALERT_COLUMNS
                  + ALERT_FROM
                  + where
                  + " ORDER BY a.opened_at DESC, a.alert_id DESC LIMIT ? OFFSET ?")) {
        List<Object> all = new ArrayList<>(args);
        all.add(limit);
        all.add(offset);
        bind(ps, all);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(alert(rs));
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

  private static Alert alert(ResultSet rs) throws SQLException {
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

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  static String json(Map<String, ?> details) {
    try {
      return JSON.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("alert details are not JSON-serialisable", e);
    }
  }

  private static Map<String, Object> parse(String json) {
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
