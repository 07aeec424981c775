package io.kerbside.worklists.api;

import io.kerbside.worklists.AlertItem;
import io.kerbside.worklists.FootwayCategory;
import io.kerbside.worklists.FootwayDefect;
import io.kerbside.worklists.GrittingSection;
import io.kerbside.worklists.Place;
import io.kerbside.worklists.StreetLamps;
import io.kerbside.worklists.WorklistsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** The work lists as JSON, as {@code openapi.yaml} describes them. */
final class WorklistJson {
  private WorklistJson() {}

  static JsonObject lamps(List<StreetLamps> streets) {
    JsonArray array = new JsonArray();
    int total = 0;
    for (StreetLamps s : streets) {
      JsonArray lamps = new JsonArray();
      s.lamps().forEach(a -> lamps.add(alert(a)));
      total += s.lamps().size();
      array.add(
          new JsonObject().put("street", s.street()).put("ward", s.ward()).put("items", lamps));
    }
    return new JsonObject().put("streets", array).put("total", total);
  }

  static JsonObject gritting(List<GrittingSection> sections, WorklistsConfig config) {
    JsonArray array = new JsonArray();
    for (GrittingSection g : sections) {
      JsonObject item =
          new JsonObject()
              .put("place", place(g.place()))
              .put("reason", g.alert() != null ? "ice-risk alert" : "surface falling to freezing")
              .put("surface_temp_c", g.surfaceTempC())
              .put("trend_c_per_h", g.trendCPerHour() == null ? null : round2(g.trendCPerHour()))
              .put("hours_to_freezing", g.hoursToFreezing())
              .put("footfall", g.footfall().code())
              .put("pavement_use", g.pavementUse());
      if (g.alert() != null) {
        item.put("alert", alert(g.alert()));
      }
      array.add(item);
    }
    return new JsonObject()
        .put("items", array)
        .put("total", sections.size())
        .put("horizon_h", config.grittingHorizonHours())
        .put("freezing_c", config.freezingSurfaceTempC());
  }

  static JsonObject footways(List<FootwayDefect> defects, WorklistsConfig config) {
    JsonArray categories = new JsonArray();
    for (FootwayCategory c : FootwayCategory.values()) {
      JsonArray items = new JsonArray();
      for (FootwayDefect d : defects) {
        if (d.category() == c) {
          items.add(
              alert(d.alert())
                  .put("crack_mm", d.crackMm())
                  .put("respond_by", d.respondBy().toString())
                  .put("overdue", d.overdue()));
        }
      }
      categories.add(
          new JsonObject()
              .put("code", c.code())
              .put("label", c.label())
              .put("response_hours", c.responseHours(config))
              .put("items", items));
    }
    return new JsonObject().put("categories", categories).put("total", defects.size());
  }

  static JsonObject alert(AlertItem a) {
    return new JsonObject()
        .put("alert_id", a.id())
        .put("rule", a.rule())
        .put("severity", a.severity())
        .put("status", a.status())
        .put("summary", a.summary())
        .put("value", a.value())
        .put("since", a.since().toString())
        .put("predicted_at", text(a.predictedAt()))
        .put("assignee", a.assignee())
        .put("place", place(a.place()));
  }

  static JsonObject place(Place p) {
    return new JsonObject()
        .put("asset_id", p.assetId())
        .put("asset_ref", p.assetRef())
        .put("name", p.name())
        .put("street", p.street())
        .put("ward", p.ward())
        .put("latitude", p.latitude())
        .put("longitude", p.longitude())
        .put("geo_uri", p.geoUri())
        .put("map_url", p.mapUrl());
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
