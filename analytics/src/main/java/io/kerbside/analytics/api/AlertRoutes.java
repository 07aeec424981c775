package io.kerbside.analytics.api;

import io.kerbside.analytics.alerts.Alert;
import io.kerbside.analytics.alerts.AlertActionException;
import io.kerbside.analytics.alerts.AlertEvent;
import io.kerbside.analytics.alerts.AlertFilter;
import io.kerbside.analytics.alerts.AlertQueries;
import io.kerbside.analytics.alerts.AlertStatus;
import io.kerbside.analytics.alerts.PeopleSteps;
import io.kerbside.analytics.rules.RuleCatalog;
import io.kerbside.analytics.rules.Severity;
import io.kerbside.api.ApiRoutes;
import io.kerbside.api.Endpoints;
import io.kerbside.api.auth.ApiAuthentication;
import io.kerbside.api.auth.ApiPrincipal;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.api.http.JsonBody;
import io.kerbside.api.http.PageRequest;
import io.kerbside.api.http.Params;
import io.kerbside.api.http.Replies;
import io.kerbside.core.DeviceKind;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The alerts' operations under {@code /api/v1/alerts}: list and filter, one alert with its history
 * (any role), and people's steps - acknowledge, resolve, assign, note ({@code operator} or {@code
 * admin}). Every answer is scoped to the council of the caller's key. JDBC runs on worker threads,
 * never on the event loop.
 */
public final class AlertRoutes implements ApiRoutes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int MAX_BODY_BYTES = 16_384;
  static final int MAX_NOTE_LENGTH = 4000;
  static final int MAX_ASSIGNEE_LENGTH = 200;

  private final Vertx vertx;
  private final AlertQueries queries;
  private final PeopleSteps steps;

  public AlertRoutes(Vertx vertx, AlertQueries queries, PeopleSteps steps) {
    this.vertx = vertx;
    this.queries = queries;
    this.steps = steps;
  }

  @Override
  public String name() {
    return "alerts";
  }

  @Override
  public String servingJob() {
    return "analytics";
  }

  @Override
  public List<TablePrivilege> privileges() {
    return List.of(
        new TablePrivilege("alert", "SELECT"),
        new TablePrivilege("alert", "UPDATE"),
        new TablePrivilege("alert_event", "SELECT"),
        new TablePrivilege("alert_event", "INSERT"),
        new TablePrivilege("device", "SELECT"),
        new TablePrivilege("asset", "SELECT"));
  }

  @Override
  public void addTo(Endpoints endpoints) {
    endpoints.get("/api/v1/alerts", ApiRole.VIEWER, this::list);
    endpoints.get("/api/v1/alerts/:id", ApiRole.VIEWER, this::one);
    for (Step step : Step.values()) {
      endpoints.post(
          "/api/v1/alerts/:id/" + step.path,
          ApiRole.OPERATOR,
          MAX_BODY_BYTES,
          ctx -> act(ctx, step));
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
    ApiPrincipal who = ApiAuthentication.principal(ctx);
    Params p = new Params(ctx);
    Optional<String> status =
        p.oneOf(
            "status",
            s ->
                s.equals("active") || AlertStatus.fromCode(s).isPresent()
                    ? Optional.of(s)
                    : Optional.empty(),
            "open, acknowledged, resolved or active");
    Optional<String> kind =
        p.oneOf("kind", k -> DeviceKind.fromCode(k).map(x -> k), "bin, streetlight or pavement");
    Optional<String> rule =
        p.oneOf("rule", r -> RuleCatalog.byCode(r).map(x -> r), "a rule's code (docs/rules.md)");
    Optional<String> severity =
        p.oneOf(
            "severity", s -> Severity.fromCode(s).map(x -> s), "critical, major, minor or warning");
    Optional<String> ward = p.text("ward");
    Optional<Instant> from = p.instant("from");
    Optional<Instant> to = p.instant("to");
    PageRequest page = p.page(MAX_LIMIT, DEFAULT_LIMIT);
    if (p.reject()) {
      return;
    }
    AlertFilter filter = new AlertFilter(status, kind, rule, ward, severity, from, to);
    Replies.respond(
        vertx,
        ctx,
        () -> queries.list(who.council(), filter, page.limit(), page.offset()),
        listing -> Replies.page(ctx, listing.items(), listing.total(), page, AlertRoutes::json));
  }

  private void one(RoutingContext ctx) {
    ApiPrincipal who = ApiAuthentication.principal(ctx);
    Params p = new Params(ctx);
    long id = p.id("the alert");
    if (p.reject()) {
      return;
    }
    Replies.respond(
        vertx,
        ctx,
        () -> {
          Optional<Alert> found = queries.find(who.council(), id);
          return found.isEmpty() ? null : withHistory(who, found.get());
        },
        body -> {
          if (body == null) {
            Replies.error(ctx, 404, "no alert " + id);
          } else {
            ctx.json(body);
          }
        });
  }

  private JsonObject withHistory(ApiPrincipal who, Alert a) throws SQLException {
    JsonArray history = new JsonArray();
    for (AlertEvent e : queries.history(who.council(), a.id())) {
      history.add(
          new JsonObject()
              .put("at", e.at().toString())
              .put("type", e.type())
              .put("actor", e.actor())
              .put("note", e.note()));
    }
    return json(a).put("history", history);
  }

  private void act(RoutingContext ctx, Step step) {
    ApiPrincipal who = ApiAuthentication.principal(ctx);
    Params p = new Params(ctx);
    long alertId = p.id("the alert");
    if (p.reject()) {
      return;
    }
    String note;
    String assignee;
    try {
      JsonBody body = JsonBody.of(ctx);
      note = body.text("note", MAX_NOTE_LENGTH, true).orElse(null);
      assignee = body.text("assignee", MAX_ASSIGNEE_LENGTH, false).orElse(null);
      if (step == Step.ASSIGN && !body.has("assignee")) {
        Replies.error(ctx, 400, "assign needs {\"assignee\": \"...\"} (null to unassign)");
        return;
      }
    } catch (RuntimeException e) {
      Replies.failed(ctx, e);
      return;
    }
    if (step == Step.NOTE && (note == null || note.isBlank())) {
      Replies.error(ctx, 400, "a note needs {\"note\": \"...\"}");
      return;
    }
    if (assignee != null && assignee.isBlank()) {
      Replies.error(ctx, 400, "assignee must not be blank (null unassigns)");
      return;
    }
    vertx
        .executeBlocking(
            () ->
                switch (step) {
                  case ACKNOWLEDGE -> steps.acknowledge(who.council(), alertId, who.actor(), note);
                  case RESOLVE -> steps.resolveByPerson(who.council(), alertId, who.actor(), note);
                  case ASSIGN -> steps.assign(who.council(), alertId, who.actor(), assignee);
                  case NOTE -> steps.note(who.council(), alertId, who.actor(), note);
                },
            false)
        .onSuccess(a -> ctx.json(json(a)))
        .onFailure(
            e -> {
              if (e instanceof AlertActionException refused) {
                Replies.error(
                    ctx,
                    refused.reason() == AlertActionException.Reason.NOT_FOUND ? 404 : 409,
                    refused.getMessage());
              } else {
                Replies.failed(ctx, e);
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
}
