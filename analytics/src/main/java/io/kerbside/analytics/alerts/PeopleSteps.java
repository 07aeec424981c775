package io.kerbside.analytics.alerts;

import io.kerbside.analytics.notify.ExternalResolution;
import io.kerbside.core.CouncilRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People's steps on an alert, each in its own transaction with the alert's row locked: acknowledge,
 * resolve, assign, note (by the REST API or the command line), and a works system's resolution.
 * They refuse the actor {@value AlertWrites#AlertWrites.SYSTEM_ACTOR}, so nobody can resolve an
 * alert as if the readings had cleared it (the lifecycle re-opens those when the condition
 * returns). The time a step is recorded at (acknowledged, resolved, updated) is the given clock's;
 * the history step's own {@code at} is the database's.
 */
public final class PeopleSteps implements ExternalResolution {
  private static final Logger LOG = LoggerFactory.getLogger(PeopleSteps.class);

  private final DataSource dataSource;
  private final Clock clock;
  private final AlertWrites writes = new AlertWrites();

  public PeopleSteps(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

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
                  "UPDATE alert SET status = 'acknowledged', acknowledged_at = ?,"
                      + " acknowledged_by = ?, updated_at = ? WHERE alert_id = ?")) {
            Timestamp now = Timestamp.from(clock.instant());
            ps.setTimestamp(1, now);
            ps.setString(2, actor);
            ps.setTimestamp(3, now);
            ps.setLong(4, alertId);
            ps.executeUpdate();
          }
          writes.event(c, alertId, "acknowledged", actor, note, Map.of());
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
          writes.resolve(c, alertId, actor, clock.instant());
          writes.event(c, alertId, "resolved", actor, note, Map.of());
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
                  "UPDATE alert SET assignee = ?, updated_at = ? WHERE alert_id = ?")) {
            ps.setString(1, who);
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            ps.setLong(3, alertId);
            ps.executeUpdate();
          }
          writes.event(
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
        council,
        alertId,
        actor,
        (c, current) -> writes.event(c, alertId, "note", actor, note, Map.of()));
  }

  @Override
  public boolean resolve(long alertId, String actor, String note) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean done = writes.resolve(c, alertId, actor, clock.instant());
        if (done) {
          writes.event(c, alertId, "resolved", actor, note, Map.of());
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
    if (actor == null || actor.isBlank() || actor.strip().equals(AlertWrites.SYSTEM_ACTOR)) {
      throw new IllegalArgumentException(
          "a person's action needs an actor other than '" + AlertWrites.SYSTEM_ACTOR + "'");
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
            AlertRows.find(c, council, alertId, true)
                .orElseThrow(
                    () ->
                        new AlertActionException(
                            AlertActionException.Reason.NOT_FOUND, "no alert " + alertId));
        action.apply(c, current);
        Alert after = AlertRows.find(c, council, alertId, false).orElseThrow();
        c.commit();
        return after;
      } catch (SQLException | AlertActionException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
