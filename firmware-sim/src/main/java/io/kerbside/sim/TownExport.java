package io.kerbside.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kerbside.core.AssetListColumns;
import io.kerbside.sim.model.DeviceModels;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.BinDetails;
import io.kerbside.sim.town.PavementDetails;
import io.kerbside.sim.town.StreetlightDetails;
import io.kerbside.sim.town.Town;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a town as the asset list Kerbside imports, so that simulated devices and registered assets
 * agree: CSV (one row per asset) or GeoJSON (a FeatureCollection of points). Both carry the same
 * fields: {@code device_id}, {@code kind}, {@code asset_ref}, position, {@code ward}, {@code
 * street}, {@code street_type}, {@code expected_interval_s} and the attributes of the asset's kind
 * (empty for other kinds in CSV, absent in GeoJSON). {@code docs/simulator.md} lists them.
 */
public final class TownExport {
  /** The CSV header, in column order. */
  public static final List<String> COLUMNS = AssetListColumns.BASE;

  private TownExport() {}

  /**
   * Writes {@code town} to {@code file}: GeoJSON when its name ends in {@code .geojson} or {@code
   * .json}, CSV when it ends in {@code .csv}.
   *
   * @throws IllegalArgumentException for another extension
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void write(Town town, Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean geoJson = name.endsWith(".geojson") || name.endsWith(".json");
    if (!geoJson && !name.endsWith(".csv")) {
      throw new IllegalArgumentException(
          "the town can be written as .csv or .geojson, not '" + file.getFileName() + "'");
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      if (geoJson) {
        writeGeoJson(town, out);
      } else {
        writeCsv(town, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the town to " + file, e);
    }
  }

  /** Writes the CSV: a header row, then one row per asset. Does not close {@code out}. */
  public static void writeCsv(Town town, Writer out) throws IOException {
    out.write(String.join(",", COLUMNS));
    out.write('\n');
    for (Asset a : town.assets()) {
      Map<String, Object> f = fields(a);
      List<String> row = new ArrayList<>(COLUMNS.size());
      for (String column : COLUMNS) {
        Object v = f.get(column);
        row.add(v == null ? "" : csv(text(v)));
      }
      out.write(String.join(",", row));
      out.write('\n');
    }
    out.flush();
  }

  /**
   * Writes a GeoJSON FeatureCollection: one Point feature per asset, its id the device id, its
   * properties the asset's fields. Does not close {@code out}.
   */
  public static void writeGeoJson(Town town, Writer out) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out);
    g.writeStartObject();
    g.writeStringField("type", "FeatureCollection");
    g.writeObjectFieldStart("properties");
    g.writeStringField("centre", town.centre().name());
    g.writeStringField("zone", town.centre().zone().getId());
    g.writeEndObject();
    g.writeArrayFieldStart("features");
    for (Asset a : town.assets()) {
      g.writeRaw('\n');
      g.writeStartObject();
      g.writeStringField("type", "Feature");
      g.writeStringField("id", a.deviceId().value());
      g.writeObjectFieldStart("geometry");
      g.writeStringField("type", "Point");
      g.writeArrayFieldStart("coordinates");
      g.writeNumber(a.location().longitude());
      g.writeNumber(a.location().latitude());
      g.writeEndArray();
      g.writeEndObject();
      g.writeObjectFieldStart("properties");
      for (Map.Entry<String, Object> e : fields(a).entrySet()) {
        if (e.getKey().equals("latitude") || e.getKey().equals("longitude")) {
          continue;
        }
        Object v = e.getValue();
        if (v instanceof Number n && n.doubleValue() == n.longValue()) {
          g.writeNumberField(e.getKey(), n.longValue());
        } else if (v instanceof Number n) {
          g.writeNumberField(e.getKey(), n.doubleValue());
        } else {
          g.writeStringField(e.getKey(), text(v));
        }
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.flush();
    out.write('\n');
    out.flush();
  }

  private static Map<String, Object> fields(Asset a) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("device_id", a.deviceId().value());
    f.put("kind", a.kind().code());
    f.put("asset_ref", a.assetRef());
    f.put("latitude", a.location().latitude());
    f.put("longitude", a.location().longitude());
    f.put("ward", a.ward());
    f.put("street", a.street());
    f.put("street_type", a.streetType().code());
    f.put("expected_interval_s", DeviceModels.reportInterval(a.kind()).toSeconds());
    if (a.details() instanceof BinDetails b) {
      f.put("bin_depth_mm", b.depthMm());
      f.put("bin_capacity_l", b.capacityL());
      List<String> days = new ArrayList<>();
      for (DayOfWeek d : DayOfWeek.values()) {
        if (b.collectionDays().contains(d)) {
          days.add(d.name().substring(0, 3).toLowerCase(Locale.ROOT));
        }
      }
      f.put("collection_days", String.join(" ", days));
      f.put("collection_time", b.collectionTime().toString());
    } else if (a.details() instanceof StreetlightDetails s) {
      f.put("lamp_type", s.lampType().code());
      f.put("rated_power_w", s.ratedPowerW());
      f.put("dimming_profile", s.dimming().code());
      f.put("mounting_height_m", s.mountingHeightM());
    } else if (a.details() instanceof PavementDetails p) {
      f.put("surface", p.surface().code());
      f.put("section_length_m", p.sectionLengthM());
      f.put("shade", p.shade());
    }
    return f;
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
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
