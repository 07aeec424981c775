package io.kerbside.analytics.api;

import io.kerbside.analytics.alerts.Alert;
import io.kerbside.analytics.alerts.AlertActionException;
import io.kerbside.analytics.alerts.AlertEvent;
import io.kerbside.analytics.alerts.AlertFilter;
import io.kerbside.analytics.alerts.AlertStatus;
import io.kerbside.analytics.alerts.AlertStore;
import io.kerbside.analytics.rules.RuleCatalog;
import io.kerbside.analytics.rules.Severity;
import io.kerbside.core.DeviceKind;
import io.kerbside.registry.api.RegistryApi;
import io.kerbside.registry.store.ApiPrincipal;
import io.kerbside.registry.store.ApiRole;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts REST API under {@code /api/v1/alerts}: list and filter, one alert with its history,
 * and people's steps (acknowledge, resolve, assign, note). Every answer is scoped to the council of
 * the caller's API key; reading needs any role, acting needs {@code operator} or {@code admin}.
 * Authentication is the registry API's (mounted before these routes). JDBC runs on worker threads,
 * never on the event loop.
 */
public final class AlertsApi {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int MAX_BODY_BYTES = 16_384;
  private static final Logger LOG = LoggerFactory.getLogger(AlertsApi.class);

  private final Vertx vertx;
  private final AlertStore store;

  private AlertsApi(Vertx vertx, AlertStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** Adds the endpoints through the registry API, which times and authenticates them. */
  public static void mount(RegistryApi.Endpoints endpoints, Vertx vertx, AlertStore store) {
    AlertsApi api = new AlertsApi(vertx, store);
    endpoints.add(HttpMethod.GET, "/api/v1/alerts", 0, List.of(api::list));
    endpoints.add(HttpMethod.GET, "/api/v1/alerts/:id", 0, List.of(api::one));
    for (Step step : Step.values()) {
      endpoints.add(
          HttpMethod.POST,
          "/api/v1/alerts/:id/" + step.path,
          MAX_BODY_BYTES,
          List.of(ctx -> api.act(ctx, step)));
    }
  }

  private enum Step {
    ACKNOWLEDGE("acknowledge"),
    RESOLVE("resolve"),
    ASSIGN("assign"),
    NOTE("notes");

    final String path;

    Step(String path) {
      this.path = path;
    }
  }

  private void list(RoutingContext ctx) {
    ApiPrincipal who = RegistryApi.principal(ctx);
    String problem = null;
    Optional<String> status = text(ctx, "status");
    if (status.isPresent()
        && !status.get().equals("active")
        && AlertStatus.fromCode(status.get()).isEmpty()) {
      problem = "status must be one of open, acknowledged, resolved, active";
    }
    Optional<String> kind = text(ctx, "kind");
    if (kind.isPresent() && DeviceKind.fromCode(kind.get()).isEmpty()) {
      problem = "kind must be one of bin, streetlight, pavement";
    }
    Optional<String> rule = text(ctx, "rule");
    if (rule.isPresent() && RuleCatalog.byCode(rule.get()).isEmpty()) {
      problem = "unknown rule " + rule.get();
    }
    Optional<String> severity = text(ctx, "severity");
    if (severity.isPresent() && Severity.fromCode(severity.get()).isEmpty()) {
      problem = "severity must be one of critical, major, minor, warning";
    }
    Optional<Instant> from;
    Optional<Instant> to;
    int limit;
    int offset;
    try {
      from = text(ctx, "from").map(Instant::parse);
      to = text(ctx, "to").map(Instant::parse);
    } catch (DateTimeParseException e) {
      error(ctx, 400, "from and to must be instants like 2026-01-31T00:00:00Z");
      return;
    }
    try {
      limit = text(ctx, "limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT);
      offset = text(ctx, "offset").map(Integer::parseInt).orElse(0);
    } catch (NumberFormatException e) {
      limit = -1;
      offset = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
      problem = "limit must be between 1 and " + MAX_LIMIT + ", offset 0 or more";
    }
    if (problem != null) {
      error(ctx, 400, problem);
      return;
    }
    AlertFilter filter = new AlertFilter(status, kind, rule, text(ctx, "ward"), severity, from, to);
    int lim = limit;
    int off = offset;
    respond(
        ctx,
        () -> store.list(who.council(), filter, lim, off),
        listing -> {
          JsonArray items = new JsonArray();
          listing.items().forEach(a -> items.add(json(a)));
          JsonObject body =
              new JsonObject()
                  .put("items", items)
                  .put("total", listing.total())
                  .put("limit", lim)
                  .put("offset", off);
          if (off + listing.items().size() < listing.total()) {
            body.put("next_offset", off + listing.items().size());
          }
          ctx.json(body);
        });
  }

  private void one(RoutingContext ctx) {
    ApiPrincipal who = RegistryApi.principal(ctx);
    Optional<Long> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    respond(
        ctx,
        () -> store.find(who.council(), id.get()).map(a -> withHistory(who, a)),
        found -> {
          if (found.isEmpty()) {
            error(ctx, 404, "no alert " + id.get());
          } else {
            ctx.json(found.get());
          }
        });
  }

  private JsonObject withHistory(ApiPrincipal who, Alert a) {
    try {
      JsonArray history = new JsonArray();
      for (AlertEvent e : store.history(who.council(), a.id())) {
        history.add(
            new JsonObject()
                .put("at", e.at().toString())
                .put("type", e.type())
                .put("actor", e.actor())
                .put("note", e.note()));
      }
      return json(a).put("history", history);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void act(RoutingContext ctx, Step step) {
    ApiPrincipal who = RegistryApi.principal(ctx);
    if (!who.role().allows(ApiRole.OPERATOR)) {
      error(ctx, 403, "acting on alerts needs an operator or admin key");
      return;
    }
    Optional<Long> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    JsonObject body;
    try {
      body =
          ctx.body() == null || ctx.body().length() == 0
              ? new JsonObject()
              : ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      error(ctx, 400, "the body must be a JSON object");
      return;
    }
    if (body == null) {
      body = new JsonObject();
    }
    Object noteValue = body.getValue("note");
    Object assigneeValue = body.getValue("assignee");
    if ((noteValue != null && !(noteValue instanceof String))
        || (assigneeValue != null && !(assigneeValue instanceof String))) {
      error(ctx, 400, "note and assignee must be strings");
      return;
    }
    String note = (String) noteValue;
    String assignee = (String) assigneeValue;
    if (note != null && note.length() > 4000) {
      error(ctx, 400, "a note is at most 4000 characters");
      return;
    }
    if (step == Step.ASSIGN && assigneeValue == null && !body.containsKey("assignee")) {
      error(ctx, 400, "assign needs {\"assignee\": \"...\"} (null to unassign)");
      return;
    }
    if (step == Step.NOTE && (note == null || note.isBlank())) {
      error(ctx, 400, "a note needs {\"note\": \"...\"}");
      return;
    }
    long alertId = id.get();
    vertx
        .executeBlocking(
            () ->
                switch (step) {
                  case ACKNOWLEDGE -> store.acknowledge(who.council(), alertId, who.actor(), note);
                  case RESOLVE -> store.resolveByPerson(who.council(), alertId, who.actor(), note);
                  case ASSIGN -> store.assign(who.council(), alertId, who.actor(), assignee);
                  case NOTE -> store.note(who.council(), alertId, who.actor(), note);
                },
            false)
        .onSuccess(a -> ctx.json(json(a)))
        .onFailure(
            e -> {
              if (e instanceof AlertActionException refused) {
                error(
                    ctx,
                    refused.reason() == AlertActionException.Reason.NOT_FOUND ? 404 : 409,
                    refused.getMessage());
              } else {
                failed(ctx, e);
              }
            });
  }

  static JsonObject json(Alert a) {
    JsonObject asset = null;
    if (a.assetPk() != null) {
      asset = new JsonObject().put("id", a.assetPk()).put("ref", a.assetRef());
    }
    return new JsonObject()
        .put("id", a.id())
        .put("rule", a.rule())
        .put("kind", a.kind())
        .put("severity", a.severity())
        .put("status", a.status().code())
        .put("subject", a.subject())
        .put("asset", asset)
        .put("device", a.deviceId())
        .put("ward", a.ward())
        .put("summary", a.summary())
        .put("value", a.value())
        .put("peak_value", a.peakValue())
        .put("details", new JsonObject(a.details()))
        .put("predicted_at", text(a.predictedAt()))
        .put("observed_at", text(a.observedAt()))
        .put("last_observed_at", text(a.lastObservedAt()))
        .put("opened_at", text(a.openedAt()))
        .put("updated_at", text(a.updatedAt()))
        .put("acknowledged_at", text(a.acknowledgedAt()))
        .put("acknowledged_by", a.acknowledgedBy())
        .put("resolved_at", text(a.resolvedAt()))
        .put("resolved_by", a.resolvedBy())
        .put("assignee", a.assignee())
        .put("reopen_count", a.reopenCount())
        .put("condition_began_at", text(a.observedAt()))
        .put("condition_cleared_at", text(a.conditionClearedAt()))
        .put(
            "condition_duration_s",
            a.conditionDuration().map(java.time.Duration::toSeconds).orElse(null));
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  private static Optional<String> text(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  private static Optional<Long> id(RoutingContext ctx) {
    try {
      return Optional.of(Long.parseLong(ctx.pathParam("id")));
    } catch (NumberFormatException e) {
      error(ctx, 400, "the alert id must be a number");
      return Optional.empty();
    }
  }

  private <T> void respond(RoutingContext ctx, Callable<T> query, Consumer<T> answer) {
    vertx.executeBlocking(query, false).onSuccess(answer::accept).onFailure(e -> failed(ctx, e));
  }

  private static void failed(RoutingContext ctx, Throwable e) {
    LOG.error("api - {} {} failed", ctx.request().method(), ctx.request().path(), e);
    error(ctx, 500, "internal error");
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status);
    ctx.json(new JsonObject().put("error", message));
  }
}
