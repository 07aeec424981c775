package io.kerbside.planning.api;

import io.kerbside.api.ApiRoutes;
import io.kerbside.api.Endpoints;
import io.kerbside.api.auth.ApiAuthentication;
import io.kerbside.api.auth.ApiPrincipal;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.api.http.BadRequestException;
import io.kerbside.api.http.Params;
import io.kerbside.api.http.Replies;
import io.kerbside.planning.CollectionPlan;
import io.kerbside.planning.CollectionPlanner;
import io.kerbside.planning.PlanStop;
import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.PlanningMetrics;
import io.kerbside.planning.Reason;
import io.kerbside.planning.VehicleRoute;
import io.kerbside.planning.store.PlanRepository;
import io.kerbside.planning.store.StopActionException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Collection plans under {@code /api/v1/plans/collections}: the day's plans of the caller's council
 * (any role; made and stored on first request when planning is configured and none is stored yet),
 * and marking a stop emptied ({@code operator}), which resolves the bin's open {@code bin-full} and
 * {@code bin-not-collected} alerts. "Today" and the time a stop is emptied at are {@code clock}'s.
 * JDBC and the solver run on worker threads.
 */
public final class PlanningRoutes implements ApiRoutes {
  static final int MAX_BODY_BYTES = 4096;
  static final LocalDate EARLIEST_DATE = LocalDate.of(2000, 1, 1);
  static final LocalDate LATEST_DATE = LocalDate.of(2999, 12, 31);

  private final Vertx vertx;
  private final PlanRepository repository;
  private final Optional<CollectionPlanner> planner;
  private final PlanningMetrics metrics;
  private final Clock clock;
  private final ZoneId zone;

  /**
   * @param planner absent when planning is not configured: only stored plans are shown
   */
  public PlanningRoutes(
      Vertx vertx,
      PlanRepository repository,
      Optional<CollectionPlanner> planner,
      PlanningMetrics metrics,
      Clock clock) {
    this.vertx = vertx;
    this.repository = repository;
    this.planner = planner;
    this.metrics = metrics;
    this.clock = clock;
    this.zone = planner.map(p -> p.config().zone()).orElse(ZoneId.of("Europe/London"));
  }

  @Override
  public String name() {
    return "planning";
  }

  @Override
  public String servingJob() {
    return "analytics";
  }

  @Override
  public List<TablePrivilege> privileges() {
    return List.of(
        new TablePrivilege("collection_plan", "SELECT"),
        new TablePrivilege("collection_plan", "INSERT"),
        new TablePrivilege("collection_stop", "SELECT"),
        new TablePrivilege("collection_stop", "INSERT"),
        new TablePrivilege("collection_stop", "UPDATE"),
        new TablePrivilege("asset", "SELECT"),
        new TablePrivilege("device", "SELECT"),
        new TablePrivilege("reading", "SELECT"),
        new TablePrivilege("alert", "SELECT"),
        new TablePrivilege("alert", "UPDATE"),
        new TablePrivilege("alert_event", "INSERT"));
  }

  @Override
  public void addTo(Endpoints endpoints) {
    endpoints.get("/api/v1/plans/collections", ApiRole.VIEWER, this::plans);
    endpoints.post(
        "/api/v1/plans/collections/:id/stops/:stop/emptied",
        ApiRole.OPERATOR,
        MAX_BODY_BYTES,
        this::emptied);
  }

  private void plans(RoutingContext ctx) {
    ApiPrincipal who = ApiAuthentication.principal(ctx);
    Params p = new Params(ctx);
    Optional<LocalDate> date = date(p, "date");
    Optional<String> round = p.text("round");
    if (round.isPresent() && !PlanningConfig.isName(round.get())) {
      p.problem("round must be a round's name: lower-case letters, digits, - and _");
    }
    if (p.reject()) {
      return;
    }
    LocalDate day = date.orElse(LocalDate.now(clock.withZone(zone)));
    Replies.respond(
        vertx,
        ctx,
        () -> {
          List<CollectionPlan> stored = repository.latest(who.council(), day, round);
          if (!stored.isEmpty() || planner.isEmpty()) {
            return stored;
          }
          CollectionPlanner pl = planner.get();
          if (round.isPresent() && pl.config().round(round.get()).isEmpty()) {
            throw new BadRequestException(
                "no round '"
                    + round.get()
                    + "' in the planning file; its rounds: "
                    + String.join(
                        ", ",
                        pl.config().rounds().stream().map(PlanningConfig.Round::name).toList()));
          }
          return pl.plan(who.council(), day, round, who.actor());
        },
        plans -> {
          JsonArray items = new JsonArray();
          plans.forEach(pl -> items.add(json(pl)));
          ctx.json(
              new JsonObject()
                  .put("date", day.toString())
                  .put("planning_configured", planner.isPresent())
                  .put("plans", items));
        });
  }

  private void emptied(RoutingContext ctx) {
    ApiPrincipal who = ApiAuthentication.principal(ctx);
    Params p = new Params(ctx);
    long planId = p.id("the collection plan");
    int stop = 0;
    String raw = ctx.pathParam("stop");
    try {
      stop = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      // reported below
    }
    if (stop <= 0) {
      p.problem("the stop must be a positive whole number");
    }
    if (p.reject()) {
      return;
    }
    int stopNo = stop;
    vertx
        .executeBlocking(
            () ->
                repository.markEmptied(who.council(), planId, stopNo, who.actor(), clock.instant()),
            false)
        .onSuccess(
            e -> {
              metrics.emptied();
              JsonArray alerts = new JsonArray();
              e.resolvedAlerts().forEach(alerts::add);
              ctx.json(json(e.stop()).put("plan_id", planId).put("resolved_alerts", alerts));
            })
        .onFailure(
            e -> {
              if (e instanceof StopActionException refused) {
                Replies.error(
                    ctx,
                    refused.reason() == StopActionException.Reason.NOT_FOUND ? 404 : 409,
                    refused.getMessage());
              } else {
                Replies.failed(ctx, e);
              }
            });
  }

  /** A date such as {@code 2026-11-30}; empty when absent or wrong (then the problem is kept). */
  static Optional<LocalDate> date(Params p, String name) {
    Optional<String> v = p.text(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      LocalDate d = LocalDate.parse(v.get());
      if (d.isBefore(EARLIEST_DATE) || d.isAfter(LATEST_DATE)) {
        p.problem(name + " must lie between " + EARLIEST_DATE + " and " + LATEST_DATE);
        return Optional.empty();
      }
      return Optional.of(d);
    } catch (DateTimeParseException e) {
      p.problem(name + " must be a date like 2026-11-30");
      return Optional.empty();
    }
  }

  /** A plan as the API shows it. */
  public static JsonObject json(CollectionPlan plan) {
    JsonArray routes = new JsonArray();
    for (VehicleRoute r : plan.routes()) {
      routes.add(
          new JsonObject()
              .put("vehicle", r.vehicle())
              .put("capacity_l", r.capacityL())
              .put(
                  "depot",
                  new JsonObject().put("lat", r.depotLatitude()).put("lon", r.depotLongitude()))
              .put("start", r.start().toString())
              .put("end", r.end().toString())
              .put("km", r.km())
              .put("litres", r.litres())
              .put("stops", r.stops()));
    }
    JsonArray stops = new JsonArray();
    plan.stops().forEach(s -> stops.add(json(s)));
    return new JsonObject()
        .put("id", plan.id())
        .put("council", plan.council())
        .put("date", plan.date().toString())
        .put("round", plan.round())
        .put("planned_at", plan.plannedAt().toString())
        .put("planned_by", plan.plannedBy())
        .put("bins_considered", plan.binsConsidered())
        .put("routes", routes)
        .put("stops", stops);
  }

  static JsonObject json(PlanStop s) {
    JsonArray reasons = new JsonArray();
    s.reasons().stream().map(Reason::code).forEach(reasons::add);
    return new JsonObject()
        .put("stop", s.stopNo())
        .put("vehicle", s.vehicle())
        .put("order", s.routeOrder())
        .put("eta", text(s.eta()))
        .put("asset", new JsonObject().put("id", s.assetPk()).put("ref", s.assetRef()))
        .put("name", s.name())
        .put("street", s.street())
        .put("ward", s.ward())
        .put("lat", s.latitude())
        .put("lon", s.longitude())
        .put("litres", s.litres())
        .put("predicted_fill_pct", Double.isNaN(s.predictedFillPct()) ? null : s.predictedFillPct())
        .put("reasons", reasons)
        .put("status", s.status())
        .put("emptied_at", text(s.emptiedAt()))
        .put("emptied_by", s.emptiedBy());
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
