package io.kerbside.planning.api;

import io.kerbside.api.ApiRoutes;
import io.kerbside.api.Endpoints;
import io.kerbside.api.auth.ApiAuthentication;
import io.kerbside.api.auth.ApiPrincipal;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.api.http.Params;
import io.kerbside.api.http.Replies;
import io.kerbside.planning.report.BinFigures;
import io.kerbside.planning.report.BinRationalisation;
import io.kerbside.planning.report.RationalisationConfig;
import io.kerbside.planning.report.RationalisationReport;
import io.kerbside.planning.report.RationalisedBin;
import io.kerbside.planning.report.Recommendation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.DayOfWeek;
import java.util.List;
import java.util.Locale;

/**
 * The bin rationalisation report of the caller's council under {@code
 * /api/v1/plans/rationalisation} (any role): each active bin's figures over the last {@code weeks}
 * weeks and what to do with it, with the reason (docs/rationalisation.md). JDBC runs on a worker
 * thread.
 */
public final class RationalisationRoutes implements ApiRoutes {
  private final Vertx vertx;
  private final BinRationalisation rationalisation;

  public RationalisationRoutes(Vertx vertx, BinRationalisation rationalisation) {
    this.vertx = vertx;
    this.rationalisation = rationalisation;
  }

  @Override
  public String name() {
    return "rationalisation";
  }

  @Override
  public String servingJob() {
    return "analytics";
  }

  @Override
  public List<TablePrivilege> privileges() {
    return List.of(
        new TablePrivilege("asset", "SELECT"),
        new TablePrivilege("device", "SELECT"),
        new TablePrivilege("reading", "SELECT"),
        new TablePrivilege("collection_stop", "SELECT"));
  }

  @Override
  public void addTo(Endpoints endpoints) {
    endpoints.get("/api/v1/plans/rationalisation", ApiRole.VIEWER, this::report);
  }

  private void report(RoutingContext ctx) {
    ApiPrincipal who = ApiAuthentication.principal(ctx);
    Params p = new Params(ctx);
    int weeks =
        p.integer("weeks", rationalisation.config().weeks(), 1, RationalisationConfig.MAX_WEEKS);
    if (p.reject()) {
      return;
    }
    Replies.respond(
        vertx,
        ctx,
        () -> rationalisation.report(who.council(), weeks),
        report -> ctx.json(json(report)));
  }

  /** The report as the API shows it; a figure that cannot be known is null. */
  public static JsonObject json(RationalisationReport report) {
    RationalisationConfig c = report.config();
    JsonObject counts = new JsonObject();
    for (Recommendation r : Recommendation.values()) {
      counts.put(r.code(), report.count(r));
    }
    JsonArray bins = new JsonArray();
    report.bins().forEach(b -> bins.add(json(b)));
    return new JsonObject()
        .put("council", report.council())
        .put("from", report.from().toString())
        .put("to", report.to().toString())
        .put("weeks", report.weeks())
        .put(
            "settings",
            new JsonObject()
                .put("zone", c.zone().getId())
                .put("emptying_drop_pct", c.emptyingDropPct())
                .put("overflow_pct", c.overflowPct())
                .put("upsize_overflow_h", c.upsizeOverflowHours())
                .put("underused_fill_pct", c.underusedFillPct())
                .put("underused_rate_pct_per_day", c.underusedRatePctPerDay())
                .put("max_gap_h", c.maxGapHours())
                .put("min_observed_h", c.minObservedHours()))
        .put("counts", counts)
        .put("bins", bins);
  }

  static JsonObject json(RationalisedBin b) {
    BinFigures f = b.figures();
    JsonObject byDay = new JsonObject();
    for (DayOfWeek d : DayOfWeek.values()) {
      byDay.put(d.name().substring(0, 3).toLowerCase(Locale.ROOT), number(f.fillRateOn(d)));
    }
    return new JsonObject()
        .put("asset", new JsonObject().put("id", b.assetPk()).put("ref", b.assetRef()))
        .put("name", b.name())
        .put("street", b.street())
        .put("ward", b.ward())
        .put("readings", f.readings())
        .put("observed_h", f.observedHours())
        .put("lifts", f.lifts())
        .put("crew_lifts", f.crewLifts())
        .put("mean_fill_at_emptying_pct", number(f.meanFillAtEmptyingPct()))
        .put("max_fill_pct", number(f.maxFillPct()))
        .put("hours_overflowing", number(f.hoursOverflowing()))
        .put("fill_rate_pct_per_day", number(f.fillRatePctPerDay()))
        .put("fill_rate_by_weekday", byDay)
        .put("recommendation", b.recommendation().code())
        .put("reason", b.reason());
  }

  private static Double number(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
