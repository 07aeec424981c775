package io.kerbside.planning.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kerbside.planning.CollectionPlan;
import io.kerbside.planning.PlanStop;
import io.kerbside.planning.Reason;
import io.kerbside.planning.VehicleRoute;
import java.util.List;
import java.util.Locale;

/**
 * A collection plan as files: CSV (one row per stop, each naming the plan's council, date and
 * round, so that a row read on its own says whose plan it is), GeoJSON (the stops in order with
 * their ETA as points, each vehicle's route as a line from its depot and back) and GPX 1.1 (one
 * route per vehicle, for satnavs). Pure functions of the plan.
 */
public final class PlanFormats {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The CSV header. */
  public static final String CSV_HEADER =
      "plan_id,council,date,round,stop,vehicle,route_order,eta,asset_ref,name,street,ward,latitude,longitude,"
          + "litres,predicted_fill_pct,reasons,status,emptied_at,emptied_by";

  private PlanFormats() {}

  public static String csv(CollectionPlan plan) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (PlanStop s : plan.stops()) {
      b.append(
              String.join(
                  ",",
                  List.of(
                      Long.toString(plan.id()),
                      cell(plan.council()),
                      plan.date().toString(),
                      cell(plan.round()),
                      Integer.toString(s.stopNo()),
                      cell(s.vehicle()),
                      s.routeOrder() == null ? "" : s.routeOrder().toString(),
                      s.eta() == null ? "" : s.eta().toString(),
                      cell(s.assetRef()),
                      cell(s.name()),
                      cell(s.street()),
                      cell(s.ward()),
                      coord(s.latitude()),
                      coord(s.longitude()),
                      String.format(Locale.ROOT, "%.1f", s.litres()),
                      Double.isNaN(s.predictedFillPct())
                          ? ""
                          : String.format(Locale.ROOT, "%.1f", s.predictedFillPct()),
                      cell(reasons(s)),
                      s.status(),
                      s.emptiedAt() == null ? "" : s.emptiedAt().toString(),
                      cell(s.emptiedBy()))))
          .append('\n');
    }
    return b.toString();
  }

  public static String geoJson(CollectionPlan plan) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "FeatureCollection");
    ObjectNode meta = root.putObject("properties");
    meta.put("plan_id", plan.id())
        .put("council", plan.council())
        .put("date", plan.date().toString())
        .put("round", plan.round());
    ArrayNode features = root.putArray("features");
    for (VehicleRoute r : plan.routes()) {
      ObjectNode f = features.addObject();
      f.put("type", "Feature");
      ObjectNode g = f.putObject("geometry");
      g.put("type", "LineString");
      ArrayNode line = g.putArray("coordinates");
      point(line.addArray(), r.depotLatitude(), r.depotLongitude());
      for (PlanStop s : plan.stopsOf(r.vehicle())) {
        point(line.addArray(), s.latitude(), s.longitude());
      }
      point(line.addArray(), r.depotLatitude(), r.depotLongitude());
      f.putObject("properties")
          .put("kind", "route")
          .put("vehicle", r.vehicle())
          .put("start", r.start().toString())
          .put("end", r.end().toString())
          .put("km", round(r.km()))
          .put("litres", round(r.litres()))
          .put("capacity_l", r.capacityL())
          .put("stops", r.stops());
    }
    for (PlanStop s : plan.stops()) {
      ObjectNode f = features.addObject();
      f.put("type", "Feature");
      ObjectNode g = f.putObject("geometry");
      g.put("type", "Point");
      point(g.putArray("coordinates"), s.latitude(), s.longitude());
      ObjectNode p = f.putObject("properties");
      p.put("kind", "stop")
          .put("stop", s.stopNo())
          .put("vehicle", s.vehicle())
          .put("order", s.routeOrder())
          .put("eta", s.eta() == null ? null : s.eta().toString())
          .put("asset_ref", s.assetRef())
          .put("name", s.name())
          .put("litres", round(s.litres()))
          .put("reasons", reasons(s))
          .put("status", s.status());
      if (!Double.isNaN(s.predictedFillPct())) {
        p.put("predicted_fill_pct", round(s.predictedFillPct()));
      }
    }
    return root.toPrettyString() + "\n";
  }

  public static String gpx(CollectionPlan plan) {
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append(
            "<gpx version=\"1.1\" creator=\"Kerbside\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n")
        .append("  <metadata><name>")
        .append(xml(plan.council() + " " + plan.date() + " " + plan.round()))
        .append("</name></metadata>\n");
    for (VehicleRoute r : plan.routes()) {
      b.append("  <rte>\n    <name>").append(xml(r.vehicle())).append("</name>\n");
      rtept(b, r.depotLatitude(), r.depotLongitude(), "depot", "leave " + r.start());
      for (PlanStop s : plan.stopsOf(r.vehicle())) {
        rtept(
            b,
            s.latitude(),
            s.longitude(),
            s.routeOrder() + " " + s.assetRef(),
            "ETA " + s.eta() + ", " + Math.round(s.litres()) + " l, " + reasons(s));
      }
      rtept(b, r.depotLatitude(), r.depotLongitude(), "depot", "back " + r.end());
      b.append("  </rte>\n");
    }
    return b.append("</gpx>\n").toString();
  }

  private static void rtept(StringBuilder b, double lat, double lon, String name, String desc) {
    b.append("    <rtept lat=\"")
        .append(coord(lat))
        .append("\" lon=\"")
        .append(coord(lon))
        .append("\"><name>")
        .append(xml(name))
        .append("</name><desc>")
        .append(xml(desc))
        .append("</desc></rtept>\n");
  }

  private static void point(ArrayNode a, double lat, double lon) {
    a.add(Math.round(lon * 1e7) / 1e7).add(Math.round(lat * 1e7) / 1e7);
  }

  private static String reasons(PlanStop s) {
    return String.join(" ", s.reasons().stream().map(Reason::code).toList());
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static String coord(double v) {
    return String.format(Locale.ROOT, "%.7f", v);
  }

  /** A CSV cell: quoted when it holds a comma, quote or line break; formula starts defused. */
  public static String cell(String v) {
    if (v == null) {
      return "";
    }
    String s = v;
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  static String xml(String v) {
    StringBuilder b = new StringBuilder();
    for (char c : v.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
