package io.kerbside.analytics.alerts;

import io.kerbside.analytics.rules.Evaluation;
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

/**
 * The alert lifecycle's writes, each through the caller's connection and transaction: open, update,
 * re-open, resolve, escalate, and the {@code alert_event} every step records. A step only records
 * its notice; a delivery worker later expands it into deliveries by the routes ({@code
 * notify/outbox}), so a step is delivered whichever process took it.
 *
 * <p>Who took a step is its actor: {@value #SYSTEM_ACTOR} for Kerbside itself, {@code key:<id>...}
 * for an API key, {@code cli:<name>} for a person at a terminal, {@code open311:<channel>} for a
 * works system.
 */
public final class AlertWrites {
  /** The actor recorded for what Kerbside does by itself. */
  public static final String SYSTEM_ACTOR = "kerbside";

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
      ps.setString(i++, AlertRows.json(e.details()));
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
      ps.setString(4, AlertRows.json(e.details()));
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
      ps.setString(4, AlertRows.json(e.details()));
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
      ps.setString(5, details == null || details.isEmpty() ? null : AlertRows.json(details));
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

  /**
   * True when an alert of this subject and rule already covers part of {@code [begin, end]}: its
   * condition began by {@code end} and cleared (or was last seen, or is still active) at or after
   * {@code begin}.
   */
  public boolean overlaps(
      Connection c, int councilId, String subject, String rule, Instant begin, Instant end)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM alert WHERE council_id = ? AND subject = ? AND rule = ?"
                + " AND observed_at <= ?"
                + " AND (status <> 'resolved'"
                + "      OR greatest(coalesce(condition_cleared_at, last_observed_at),"
                + "                  last_observed_at) >= ?)"
                + " LIMIT 1")) {
      ps.setInt(1, councilId);
      ps.setString(2, subject);
      ps.setString(3, rule);
      ps.setTimestamp(4, Timestamp.from(end));
      ps.setTimestamp(5, Timestamp.from(begin));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Records a past episode of a condition, found by a replay: an alert opened at {@code now} whose
   * condition began with {@code first} and was last seen with {@code last}, resolved by Kerbside as
   * cleared at {@code clearedAt}. Its events are marked routed: history is not sent to crews.
   *
   * @return the alert's id
   */
  public long recordPastEpisode(
      Connection c, Outcome first, Evaluation last, Double peak, Instant clearedAt, Instant now)
      throws SQLException {
    Evaluation e = first.evaluation();
    long id;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert (council_id, subject, rule, kind, severity, status, asset_pk,"
                + " device_pk, ward, summary, value, peak_value, details, predicted_at,"
                + " observed_at, last_observed_at, opened_at, updated_at, last_notified_at,"
                + " resolved_at, resolved_by, condition_cleared_at)"
                + " VALUES (?, ?, ?, ?, ?, 'resolved', ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?) RETURNING alert_id")) {
      int i = 1;
      ps.setInt(i++, first.subject().council().id());
      ps.setString(i++, first.subjectKey());
      ps.setString(i++, first.rule().code());
      ps.setString(i++, first.subject().kind().code());
      ps.setString(i++, first.severity().code());
      Optional<Long> assetPk = first.subject().asset().map(a -> a.assetPk());
      if (assetPk.isPresent()) {
        ps.setLong(i++, assetPk.get());
      } else {
        ps.setNull(i++, Types.BIGINT);
      }
      ps.setLong(i++, first.subject().devicePk());
      ps.setString(i++, first.subject().ward().orElse(null));
      ps.setString(i++, last.summary());
      setDouble(ps, i++, last.value());
      setDouble(ps, i++, peak == null ? last.value() : peak);
      ps.setString(i++, AlertRows.json(last.details()));
      ps.setTimestamp(i++, last.predictedAt().map(Timestamp::from).orElse(null));
      ps.setTimestamp(i++, Timestamp.from(e.observedAt()));
      ps.setTimestamp(i++, Timestamp.from(last.observedAt()));
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setString(i++, SYSTEM_ACTOR);
      ps.setTimestamp(i++, Timestamp.from(clearedAt));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    long opened = event(c, id, "opened", SYSTEM_ACTOR, e.summary() + " (replayed)", e.details());
    long resolved =
        event(
            c,
            id,
            "resolved",
            SYSTEM_ACTOR,
            "condition cleared (replayed)",
            Map.of("cleared_at", clearedAt.toString()));
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE alert_event SET routed_at = now() WHERE alert_event_id IN (?, ?)")) {
      ps.setLong(1, opened);
      ps.setLong(2, resolved);
      ps.executeUpdate();
    }
    return id;
  }

  /**
   * Opens an alert for an episode a replay found still going at the end of its range, unless an
   * alert of the subject and rule is active already; notified as any opening.
   *
   * @return whether it was opened
   */
  public boolean openReplayed(
      Connection c, Outcome first, Evaluation last, Double peak, Instant now) throws SQLException {
    Optional<Long> id = open(c, first, now);
    if (id.isEmpty()) {
      return false;
    }
    Evaluation e = first.evaluation();
    event(c, id.get(), "opened", SYSTEM_ACTOR, e.summary() + " (replayed)", e.details());
    update(c, id.get(), last, peak, now);
    return true;
  }

  private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }
}
