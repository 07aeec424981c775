package io.kerbside.analytics.notify.channel;

import io.kerbside.analytics.notify.AlertNotice;
import io.kerbside.analytics.notify.AlertNotice.AssetLocation;
import java.util.Locale;

/** The human-readable forms of a notice: e-mail subject and bodies, Open311 description. */
final class NoticeText {
  private NoticeText() {}

  /** An OpenStreetMap link with a marker on the asset. */
  static String mapUrl(AssetLocation a) {
    String lat = coordinate(a.latitude());
    String lon = coordinate(a.longitude());
    return "https://www.openstreetmap.org/?mlat="
        + lat
        + "&mlon="
        + lon
        + "#map=19/"
        + lat
        + "/"
        + lon;
  }

  static String subject(AlertNotice n) {
    return "["
        + n.severity().toUpperCase(Locale.ROOT)
        + "] "
        + n.rule()
        + " "
        + n.eventType()
        + ": "
        + what(n);
  }

  /** The asset's name and reference, or the alert's subject when there is no asset. */
  static String what(AlertNotice n) {
    return n.asset()
        .map(a -> a.name() == null ? a.assetRef() : a.name() + " (" + a.assetRef() + ")")
        .orElse(n.subject() + (n.deviceId() == null ? "" : " (device " + n.deviceId() + ")"));
  }

  static String where(AssetLocation a) {
    StringBuilder sb = new StringBuilder();
    if (a.street() != null) {
      sb.append(a.street()).append(", ");
    }
    if (a.ward() != null) {
      sb.append(a.ward()).append(" ward, ");
    }
    return sb.append(coordinate(a.latitude()))
        .append(", ")
        .append(coordinate(a.longitude()))
        .toString();
  }

  static String plain(AlertNotice n) {
    StringBuilder sb = new StringBuilder();
    sb.append(n.summary()).append("\n\n");
    line(sb, "Alert", n.rule() + " (" + n.eventType() + ", " + n.status() + ")");
    line(sb, "Severity", n.severity());
    line(sb, "Asset", what(n));
    n.asset()
        .ifPresent(
            a -> {
              line(sb, "Location", where(a));
              line(sb, "Map", mapUrl(a));
            });
    line(sb, "Council", n.councilSlug());
    if (n.value() != null) {
      line(sb, "Value", measure(n));
    }
    line(sb, "Observed", String.valueOf(n.observedAt()));
    n.predictedAt().ifPresent(t -> line(sb, "Predicted", t.toString()));
    if (n.deviceId() != null) {
      line(sb, "Device", n.deviceId());
    }
    line(sb, "Kerbside alert", n.alertId() + " (event " + n.alertEventId() + ")");
    return sb.toString();
  }

  static String html(AlertNotice n) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html><html><body>\n<p>")
        .append(escape(n.summary()))
        .append("</p>\n<table>\n");
    row(sb, "Alert", escape(n.rule() + " (" + n.eventType() + ", " + n.status() + ")"));
    row(sb, "Severity", escape(n.severity()));
    row(sb, "Asset", escape(what(n)));
    n.asset()
        .ifPresent(
            a -> {
              String url = escape(mapUrl(a));
              row(
                  sb,
                  "Location",
                  escape(where(a)) + " - <a href=\"" + url + "\">show on the map</a>");
            });
    row(sb, "Council", escape(n.councilSlug()));
    if (n.value() != null) {
      row(sb, "Value", escape(measure(n)));
    }
    row(sb, "Observed", escape(String.valueOf(n.observedAt())));
    n.predictedAt().ifPresent(t -> row(sb, "Predicted", escape(t.toString())));
    if (n.deviceId() != null) {
      row(sb, "Device", escape(n.deviceId()));
    }
    row(sb, "Kerbside alert", n.alertId() + " (event " + n.alertEventId() + ")");
    return sb.append("</table>\n</body></html>\n").toString();
  }

  /** The text of a works request: what, where and how bad, within GeoReport's 4,000 characters. */
  static String description(AlertNotice n) {
    String text =
        n.summary()
            + " - "
            + what(n)
            + ", severity "
            + n.severity()
            + (n.value() == null ? "" : ", " + measure(n))
            + ". Kerbside alert "
            + n.alertId()
            + ".";
    return text.length() <= 4000 ? text : text.substring(0, 3997) + "...";
  }

  private static String measure(AlertNotice n) {
    String v = String.format(Locale.ROOT, "%.1f", n.value());
    return n.peakValue() == null
        ? v
        : v + " (peak " + String.format(Locale.ROOT, "%.1f", n.peakValue()) + ")";
  }

  private static String coordinate(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  private static void line(StringBuilder sb, String label, String value) {
    sb.append(label).append(": ").append(value).append('\n');
  }

  private static void row(StringBuilder sb, String label, String html) {
    sb.append("<tr><th align=\"left\">")
        .append(label)
        .append("</th><td>")
        .append(html)
        .append("</td></tr>\n");
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
