package io.kerbside.worklists.csv;

import io.kerbside.worklists.AlertItem;
import io.kerbside.worklists.FootwayDefect;
import io.kerbside.worklists.GrittingSection;
import io.kerbside.worklists.Place;
import io.kerbside.worklists.StreetLamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The work lists as CSV (RFC 4180: comma, CRLF, quotes doubled), one row per item with a header. A
 * cell that a spreadsheet would read as a formula ({@code = + - @} first) is prefixed with {@code
 * '}.
 */
public final class WorklistCsv {
  private static final List<String> PLACE =
      List.of("asset_ref", "name", "street", "ward", "latitude", "longitude", "geo_uri");

  private WorklistCsv() {}

  public static String lamps(List<StreetLamps> streets) {
    StringBuilder b = header(List.of("alert_id", "rule", "severity", "status", "since", "summary"));
    for (StreetLamps s : streets) {
      for (AlertItem a : s.lamps()) {
        row(b, alertCells(a), a.place());
      }
    }
    return b.toString();
  }

  public static String gritting(List<GrittingSection> sections) {
    StringBuilder b =
        header(
            List.of(
                "hours_to_freezing",
                "surface_temp_c",
                "trend_c_per_h",
                "footfall",
                "pavement_use",
                "alert_id",
                "since"));
    for (GrittingSection g : sections) {
      List<String> cells = new ArrayList<>();
      cells.add(number(g.hoursToFreezing()));
      cells.add(g.surfaceTempC() == null ? "" : number(g.surfaceTempC()));
      cells.add(g.trendCPerHour() == null ? "" : number(g.trendCPerHour()));
      cells.add(g.footfall().code());
      cells.add(g.pavementUse() == null ? "" : g.pavementUse());
      cells.add(g.alert() == null ? "" : Long.toString(g.alert().id()));
      cells.add(g.alert() == null ? "" : text(g.alert().since()));
      row(b, cells, g.place());
    }
    return b.toString();
  }

  public static String footways(List<FootwayDefect> defects) {
    StringBuilder b =
        header(
            List.of(
                "category",
                "respond_by",
                "overdue",
                "crack_mm",
                "alert_id",
                "rule",
                "severity",
                "status",
                "since",
                "summary"));
    for (FootwayDefect d : defects) {
      List<String> cells = new ArrayList<>();
      cells.add(d.category().code());
      cells.add(text(d.respondBy()));
      cells.add(Boolean.toString(d.overdue()));
      cells.add(d.crackMm() == null ? "" : number(d.crackMm()));
      cells.addAll(alertCells(d.alert()));
      row(b, cells, d.alert().place());
    }
    return b.toString();
  }

  private static List<String> alertCells(AlertItem a) {
    return List.of(
        Long.toString(a.id()), a.rule(), a.severity(), a.status(), text(a.since()), a.summary());
  }

  private static StringBuilder header(List<String> first) {
    StringBuilder b = new StringBuilder();
    List<String> all = new ArrayList<>(first);
    all.addAll(PLACE);
    line(b, all);
    return b;
  }

  private static void row(StringBuilder b, List<String> cells, Place p) {
    List<String> all = new ArrayList<>(cells);
    all.add(p.assetRef());
    all.add(p.name());
    all.add(p.street());
    all.add(p.ward());
    all.add(number(p.latitude()));
    all.add(number(p.longitude()));
    all.add(p.geoUri());
    line(b, all);
  }

  private static void line(StringBuilder b, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(cell(cells.get(i)));
    }
    b.append("\r\n");
  }

  static String cell(String v) {
    if (v == null) {
      return "";
    }
    String s = v;
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.]+")) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String text(Instant t) {
    return t == null ? "" : t.toString();
  }
}
