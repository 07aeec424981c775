package io.kerbside.planning.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.bins.FillPrediction;
import io.kerbside.planning.CollectionPlan;
import io.kerbside.planning.PlanStop;
import io.kerbside.planning.Reason;
import io.kerbside.planning.VehicleRoute;
import io.kerbside.planning.select.BinSelection;
import io.kerbside.planning.select.BinState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Planning's SQL: the bins' states (registry, fill readings, open alerts), storing and reading
 * plans, and marking a stop emptied, which resolves the bin's open {@code bin-full} and {@code
 * bin-not-collected} alerts in the same transaction - the same columns and history step as a
 * person's resolution of an alert. Thread-safe; each call takes its own connection.
 */
public final class PlanRepository {
  /** The actor Kerbside itself resolves alerts as; a person's step never uses it. */
  static final String SYSTEM_ACTOR = "kerbside";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;

  public PlanRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The council's active bins with their fill readings in {@code [from, until]} (oldest first) from
   * the devices attached to them, and the rules of their active alerts.
   */
  public List<BinState> bins(CouncilRef council, Instant from, Instant until) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      Map<Long, List<FillPrediction.Point>> fill = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT d.asset_pk, r.ts, r.fill_pct FROM reading r"
                  + " JOIN device d ON d.device_pk = r.device_pk"
                  + " WHERE r.council_id = ? AND d.council_id = ? AND d.asset_pk IS NOT NULL"
                  + " AND r.ts >= ? AND r.ts <= ? AND r.fill_pct IS NOT NULL"
                  + " ORDER BY d.asset_pk, r.ts")) {
        ps.setInt(1, council.id());
        ps.setInt(2, council.id());
        ps.setTimestamp(3, Timestamp.from(from));
        ps.setTimestamp(4, Timestamp.from(until));
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            fill.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(new FillPrediction.Point(rs.getTimestamp(2).toInstant(), rs.getDouble(3)));
          }
        }
      }
      Map<Long, Set<String>> alerts = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT asset_pk, rule FROM alert WHERE council_id = ? AND status <> 'resolved'"
                  + " AND asset_pk IS NOT NULL AND rule = ANY (?)")) {
        ps.setInt(1, council.id());
        ps.setArray(2, c.createArrayOf("text", BinSelection.ALERT_RULES.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            alerts.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getString(2));
          }
        }
      }
      List<BinState> out = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT asset_pk, asset_ref, name, street, ward, latitude, longitude,"
                  + " bin_capacity_l, collection_days FROM asset"
                  + " WHERE council_id = ? AND kind = 'bin' AND status = 'active'"
                  + " ORDER BY asset_ref")) {
        ps.setInt(1, council.id());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long pk = rs.getLong(1);
            int capacity = rs.getInt(8);
            out.add(
                new BinState(
                    pk,
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getDouble(6),
                    rs.getDouble(7),
                    rs.wasNull() || capacity <= 0 ? null : capacity,
                    days(rs.getString(9)),
                    fill.getOrDefault(pk, List.of()),
                    alerts.getOrDefault(pk, Set.of())));
          }
        }
      }
      return out;
    }
  }

  /** The registry's {@code collection_days} ("mon wed", "Mon,Thu") as weekdays. */
  static Set<DayOfWeek> days(String text) {
    Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
    if (text == null) {
      return set;
    }
    for (String token : text.toLowerCase(Locale.ROOT).split("[\\s,;]+")) {
      for (DayOfWeek d : DayOfWeek.values()) {
        if (token.length() >= 3 && d.name().toLowerCase(Locale.ROOT).startsWith(token)) {
          set.add(d);
        }
      }
    }
    return set;
  }

  /**
   * Stores a plan and its stops in one transaction.
   *
   * @return the plan as stored, with its id
   */
  public CollectionPlan store(CouncilRef council, CollectionPlan plan) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long id;
        Instant plannedAt;
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO collection_plan (council_id, plan_date, round, planned_by, details)"
                    + " VALUES (?, ?, ?, ?, ?::jsonb) RETURNING plan_id, planned_at")) {
          ps.setInt(1, council.id());
          ps.setObject(2, plan.date());
          ps.setString(3, plan.round());
          ps.setString(4, plan.plannedBy());
          ps.setString(5, details(plan));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
            plannedAt = rs.getTimestamp(2).toInstant();
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO collection_stop (plan_id, stop_no, council_id, asset_pk, vehicle,"
                    + " route_order, eta, litres, predicted_fill_pct, reasons, status)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          for (PlanStop s : plan.stops()) {
            ps.setLong(1, id);
            ps.setInt(2, s.stopNo());
            ps.setInt(3, council.id());
            ps.setLong(4, s.assetPk());
            ps.setString(5, s.vehicle());
            if (s.routeOrder() == null) {
              ps.setNull(6, Types.INTEGER);
            } else {
              ps.setInt(6, s.routeOrder());
            }
            ps.setTimestamp(7, s.eta() == null ? null : Timestamp.from(s.eta()));
            ps.setDouble(8, s.litres());
            if (Double.isNaN(s.predictedFillPct())) {
              ps.setNull(9, Types.DOUBLE);
            } else {
              ps.setDouble(9, s.predictedFillPct());
            }
            ps.setArray(
                10, c.createArrayOf("text", s.reasons().stream().map(Reason::code).toArray()));
            ps.setString(11, s.status());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
        return new CollectionPlan(
            id,
            plan.council(),
            plan.date(),
            plan.round(),
            plannedAt,
            plan.plannedBy(),
            plan.binsConsidered(),
            plan.solveMs(),
            plan.routes(),
            plan.stops());
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** The newest stored plan of each round of the council's {@code date}, by round name. */
  public List<CollectionPlan> latest(CouncilRef council, LocalDate date, Optional<String> round)
      throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT ON (round) plan_id FROM collection_plan"
                    + " WHERE council_id = ? AND plan_date = ? AND (?::text IS NULL OR round = ?)"
                    + " ORDER BY round, planned_at DESC, plan_id DESC")) {
      ps.setInt(1, council.id());
      ps.setObject(2, date);
      ps.setString(3, round.orElse(null));
      ps.setString(4, round.orElse(null));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    List<CollectionPlan> out = new ArrayList<>();
    for (long id : ids) {
      find(council, id).ifPresent(out::add);
    }
    return out;
  }

  /** A stored plan of the council. */
  public Optional<CollectionPlan> find(CouncilRef council, long planId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      String round;
      LocalDate date;
      Instant plannedAt;
      String plannedBy;
      JsonNode details;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT round, plan_date, planned_at, planned_by, details FROM collection_plan"
                  + " WHERE council_id = ? AND plan_id = ?")) {
        ps.setInt(1, council.id());
        ps.setLong(2, planId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          round = rs.getString(1);
          date = rs.getObject(2, LocalDate.class);
          plannedAt = rs.getTimestamp(3).toInstant();
          plannedBy = rs.getString(4);
          details = JSON.readTree(rs.getString(5));
        } catch (JsonProcessingException e) {
          throw new SQLException("plan " + planId + " has unreadable details", e);
        }
      }
      List<PlanStop> stops = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT s.stop_no, s.asset_pk, a.asset_ref, a.name, a.street, a.ward, a.latitude,"
                  + " a.longitude, s.vehicle, s.route_order, s.eta, s.litres,"
                  + " s.predicted_fill_pct, s.reasons, s.status, s.emptied_at, s.emptied_by"
                  + " FROM collection_stop s"
                  + " JOIN asset a ON a.council_id = s.council_id AND a.asset_pk = s.asset_pk"
                  + " WHERE s.council_id = ? AND s.plan_id = ? ORDER BY s.stop_no")) {
        ps.setInt(1, council.id());
        ps.setLong(2, planId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int order = rs.getInt(10);
            Integer routeOrder = rs.wasNull() ? null : order;
            double fill = rs.getDouble(13);
            if (rs.wasNull()) {
              fill = Double.NaN;
            }
            List<Reason> reasons = new ArrayList<>();
            Array arr = rs.getArray(14);
            for (Object o : (Object[]) arr.getArray()) {
              Reason.fromCode((String) o).ifPresent(reasons::add);
            }
            stops.add(
                new PlanStop(
                    rs.getInt(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getDouble(7),
                    rs.getDouble(8),
                    rs.getString(9),
                    routeOrder,
                    instant(rs.getTimestamp(11)),
                    rs.getDouble(12),
                    fill,
                    reasons,
                    rs.getString(15),
                    instant(rs.getTimestamp(16)),
                    rs.getString(17)));
          }
        }
      }
      List<VehicleRoute> routes = new ArrayList<>();
      for (JsonNode r : details.path("routes")) {
        routes.add(
            new VehicleRoute(
                r.path("vehicle").asText(),
                r.path("capacity_l").asInt(),
                r.path("depot_lat").asDouble(),
                r.path("depot_lon").asDouble(),
                Instant.parse(r.path("start").asText()),
                Instant.parse(r.path("end").asText()),
                r.path("km").asDouble(),
                r.path("litres").asDouble(),
                r.path("stops").asInt()));
      }
      return Optional.of(
          new CollectionPlan(
              planId,
              council.slug(),
              date,
              round,
              plannedAt,
              plannedBy,
              details.path("bins_considered").asInt(),
              details.path("solve_ms").asLong(),
              routes,
              stops));
    }
  }

  /** The outcome of marking a stop emptied: the stop as it now is, and the alerts resolved. */
  public record Emptied(PlanStop stop, List<Long> resolvedAlerts) {}

  /**
   * {@link #markEmptied(CouncilRef, long, int, String, Instant) Marks a stop emptied} now, by the
   * system clock.
   */
  public Emptied markEmptied(CouncilRef council, long planId, int stopNo, String actor)
      throws SQLException, StopActionException {
    return markEmptied(council, planId, stopNo, actor, Instant.now());
  }

  /**
   * Marks a stop emptied by {@code actor} at {@code at}, and resolves its bin's open {@code
   * bin-full} and {@code bin-not-collected} alerts as {@code actor} at that time (status, resolver,
   * a {@code resolved} step in each alert's history), in one transaction.
   *
   * @throws StopActionException NOT_FOUND for no such stop of the council, CONFLICT when it was
   *     already emptied
   * @throws IllegalArgumentException when {@code actor} is blank or Kerbside itself
   */
  public Emptied markEmptied(CouncilRef council, long planId, int stopNo, String actor, Instant at)
      throws SQLException, StopActionException {
    if (actor == null || actor.isBlank() || actor.strip().equals(SYSTEM_ACTOR)) {
      throw new IllegalArgumentException(
          "emptying a bin needs an actor other than '" + SYSTEM_ACTOR + "'");
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long assetPk;
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT asset_pk, status FROM collection_stop"
                    + " WHERE council_id = ? AND plan_id = ? AND stop_no = ? FOR UPDATE")) {
          ps.setInt(1, council.id());
          ps.setLong(2, planId);
          ps.setInt(3, stopNo);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new StopActionException(
                  StopActionException.Reason.NOT_FOUND,
                  "no stop " + stopNo + " in collection plan " + planId);
            }
            if ("emptied".equals(rs.getString(2))) {
              throw new StopActionException(
                  StopActionException.Reason.CONFLICT,
                  "stop " + stopNo + " of collection plan " + planId + " is already emptied");
            }
            assetPk = rs.getLong(1);
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE collection_stop SET status = 'emptied', emptied_at = ?,"
                    + " emptied_by = ? WHERE plan_id = ? AND stop_no = ?")) {
          ps.setTimestamp(1, Timestamp.from(at));
          ps.setString(2, actor);
          ps.setLong(3, planId);
          ps.setInt(4, stopNo);
          ps.executeUpdate();
        }
        List<Long> resolved = new ArrayList<>();
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE alert SET status = 'resolved', resolved_at = ?, resolved_by = ?,"
                    + " updated_at = ?, condition_cleared_at = NULL"
                    + " WHERE council_id = ? AND asset_pk = ? AND status <> 'resolved'"
                    + " AND rule = ANY (?) RETURNING alert_id")) {
          ps.setTimestamp(1, Timestamp.from(at));
          ps.setString(2, actor);
          ps.setTimestamp(3, Timestamp.from(at));
          ps.setInt(4, council.id());
          ps.setLong(5, assetPk);
          ps.setArray(6, c.createArrayOf("text", BinSelection.ALERT_RULES.toArray()));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              resolved.add(rs.getLong(1));
            }
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO alert_event (alert_id, type, actor, note) VALUES (?, 'resolved', ?, ?)")) {
          for (long alertId : resolved) {
            ps.setLong(1, alertId);
            ps.setString(2, actor);
            ps.setString(3, "bin emptied: collection plan " + planId + ", stop " + stopNo);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
        PlanStop stop =
            find(council, planId).orElseThrow().stops().stream()
                .filter(s -> s.stopNo() == stopNo)
                .findFirst()
                .orElseThrow();
        return new Emptied(stop, resolved);
      } catch (SQLException | StopActionException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static String details(CollectionPlan plan) {
    ObjectNode d = JSON.createObjectNode();
    d.put("bins_considered", plan.binsConsidered());
    d.put("solve_ms", plan.solveMs());
    ArrayNode routes = d.putArray("routes");
    for (VehicleRoute r : plan.routes()) {
      routes
          .addObject()
          .put("vehicle", r.vehicle())
          .put("capacity_l", r.capacityL())
          .put("depot_lat", r.depotLatitude())
          .put("depot_lon", r.depotLongitude())
          .put("start", r.start().toString())
          .put("end", r.end().toString())
          .put("km", r.km())
          .put("litres", r.litres())
          .put("stops", r.stops());
    }
    return d.toString();
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
