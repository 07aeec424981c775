package io.kerbside.worklists.api;

import io.kerbside.api.ApiRoutes;
import io.kerbside.api.Endpoints;
import io.kerbside.api.auth.ApiAuthentication;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.api.http.Params;
import io.kerbside.api.http.Replies;
import io.kerbside.core.CouncilRef;
import io.kerbside.worklists.Worklists;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The work lists under {@code /api/v1/worklists}: {@code lamps}, {@code gritting} and {@code
 * footways}, each with optional {@code ward} and {@code date} ({@code 2026-01-31}, not after
 * today), for any role, scoped to the caller's council. JDBC runs on worker threads.
 */
public final class WorklistRoutes implements ApiRoutes {
  private final Vertx vertx;
  private final Worklists worklists;

  public WorklistRoutes(Vertx vertx, Worklists worklists) {
    this.vertx = vertx;
    this.worklists = worklists;
  }

  @Override
  public String name() {
    return "worklists";
  }

  @Override
  public String servingJob() {
    return "reader";
  }

  @Override
  public List<TablePrivilege> privileges() {
    return List.of(
        new TablePrivilege("alert", "SELECT"),
        new TablePrivilege("asset", "SELECT"),
        new TablePrivilege("device", "SELECT"),
        new TablePrivilege("reading", "SELECT"));
  }

  @Override
  public void addTo(Endpoints endpoints) {
    endpoints.get(
        "/api/v1/worklists/lamps",
        ApiRole.VIEWER,
        ctx -> list(ctx, (c, w, d) -> WorklistJson.lamps(worklists.lamps(c, w, d))));
    endpoints.get(
        "/api/v1/worklists/gritting",
        ApiRole.VIEWER,
        ctx ->
            list(
                ctx,
                (c, w, d) ->
                    WorklistJson.gritting(worklists.gritting(c, w, d), worklists.config())));
    endpoints.get(
        "/api/v1/worklists/footways",
        ApiRole.VIEWER,
        ctx ->
            list(
                ctx,
                (c, w, d) ->
                    WorklistJson.footways(worklists.footways(c, w, d), worklists.config())));
  }

  @FunctionalInterface
  private interface Lister {
    JsonObject list(CouncilRef council, Optional<String> ward, Optional<LocalDate> date)
        throws Exception;
  }

  private void list(RoutingContext ctx, Lister lister) {
    CouncilRef council = ApiAuthentication.principal(ctx).council();
    Params p = new Params(ctx);
    Optional<String> ward = p.text("ward");
    Optional<LocalDate> date = date(p);
    if (p.reject()) {
      return;
    }
    Replies.respond(
        vertx,
        ctx,
        () -> lister.list(council, ward, date),
        body ->
            ctx.json(
                body.put("council", council.slug())
                    .put("ward", ward.orElse(null))
                    .put("date", date.orElse(worklists.today()).toString())));
  }

  private Optional<LocalDate> date(Params p) {
    Optional<String> text = p.text("date");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    LocalDate d;
    try {
      d = LocalDate.parse(text.get());
    } catch (DateTimeParseException e) {
      p.problem("date must be a date like 2026-01-31");
      return Optional.empty();
    }
    if (d.getYear() < 2000) {
      p.problem("date must not be before 2000-01-01");
      return Optional.empty();
    }
    Optional<String> problem = worklists.problemWith(d);
    problem.ifPresent(p::problem);
    return problem.isPresent() ? Optional.empty() : Optional.of(d);
  }
}
