package io.kerbside.registry.write;

import io.kerbside.registry.Asset;
import io.kerbside.registry.AssetAttributes;
import io.kerbside.registry.AssetColumns;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes asset records as CSV (header {@link AssetColumns#ALL}, one row per record) or as a GeoJSON
 * FeatureCollection of Points. Reading the output back gives the same records.
 */
public final class AssetListWriter {
  private AssetListWriter() {}

  /** Writes {@code records}; does not close {@code out}. */
  public static void write(AssetFormat format, List<AssetRecord> records, Writer out)
      throws IOException {
    switch (format) {
      case CSV -> writeCsv(records, out);
      case GEOJSON -> writeGeoJson(records, out);
    }
    out.flush();
  }

  private static void writeCsv(List<AssetRecord> records, Writer out) throws IOException {
    out.write(String.join(",", AssetColumns.ALL));
    out.write('\n');
    for (AssetRecord r : records) {
      Map<String, Object> f = fields(r);
      List<String> row = new ArrayList<>(AssetColumns.ALL.size());
      for (String column : AssetColumns.ALL) {
        Object v = f.get(column);
        row.add(v == null ? "" : csv(text(v)));
      }
      out.write(String.join(",", row));
      out.write('\n');
    }
  }

  private static void writeGeoJson(List<AssetRecord> records, Writer out) throws IOException {
    out.write("{\"type\":\"FeatureCollection\",\"features\":[");
    boolean first = true;
    for (AssetRecord r : records) {
      JsonObject props = new JsonObject();
      fields(r)
          .forEach(
              (k, v) -> {
                if (!k.equals("latitude") && !k.equals("longitude")) {
                  props.put(k, v instanceof Number ? v : text(v));
                }
              });
      JsonObject feature =
          new JsonObject()
              .put("type", "Feature")
              .put("id", r.deviceId())
              .put(
                  "geometry",
                  new JsonObject()
                      .put("type", "Point")
                      .put(
                          "coordinates",
                          new JsonArray().add(r.asset().longitude()).add(r.asset().latitude())))
              .put("properties", props);
      out.write(first ? "\n" : ",\n");
      out.write(feature.encode());
      first = false;
    }
    out.write("\n]}\n");
  }

  private static Map<String, Object> fields(AssetRecord r) {
    Asset a = r.asset();
    Map<String, Object> f = new LinkedHashMap<>();
    put(f, "device_id", r.deviceId());
    f.put("kind", a.kind().code());
    f.put("asset_ref", a.ref());
    f.put("latitude", a.latitude());
    f.put("longitude", a.longitude());
    put(f, "ward", a.ward());
    put(f, "street", a.street());
    put(f, "street_type", a.streetType());
    put(f, "expected_interval_s", r.expectedIntervalS());
    if (a.attributes() instanceof AssetAttributes.Bin b) {
      put(f, "bin_depth_mm", b.depthMm());
      put(f, "bin_capacity_l", b.capacityL());
      if (!b.collectionDays().isEmpty()) {
        List<String> days = new ArrayList<>();
        for (DayOfWeek d : DayOfWeek.values()) {
          if (b.collectionDays().contains(d)) {
            days.add(d.name().substring(0, 3).toLowerCase(Locale.ROOT));
          }
        }
        f.put("collection_days", String.join(" ", days));
      }
      put(f, "collection_time", b.collectionTime());
    } else if (a.attributes() instanceof AssetAttributes.Streetlight s) {
      put(f, "lamp_type", s.lampType());
      put(f, "rated_power_w", s.ratedPowerW());
      put(f, "dimming_profile", s.dimmingProfile());
      put(f, "mounting_height_m", s.mountingHeightM());
    } else if (a.attributes() instanceof AssetAttributes.Pavement p) {
      put(f, "surface", p.surface());
      put(f, "section_length_m", p.sectionLengthM());
      put(f, "shade", p.shade());
      put(f, "pavement_use", p.use());
    }
    put(f, "name", a.name());
    f.put("status", a.status().code());
    put(f, "installed_on", a.installedOn());
    return f;
  }

  private static void put(Map<String, Object> f, String key, Object value) {
    if (value != null) {
      f.put(key, value);
    }
  }

  private static String text(Object v) {
    if (v instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? Long.toString(d.longValue())
          : Double.toString(d);
    }
    return String.valueOf(v);
  }

  private static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
