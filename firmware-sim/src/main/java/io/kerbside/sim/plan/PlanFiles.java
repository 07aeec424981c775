package io.kerbside.sim.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the plan files {@code kerbside plan collections} writes: {@code .csv} (one row per stop,
 * with the plan's council, date and round on every row) or {@code .geojson} (the plan's council,
 * date and round in the collection's properties, a {@code stop} point per stop). The format is
 * decided by the file's extension. Pure functions of the file's text; thread-safe.
 */
public final class PlanFiles {
  private static final JsonFactory JSON = new JsonFactory();

  private PlanFiles() {}

  /**
   * @throws PlanFileException naming the file when it cannot be read, has another extension or does
   *     not hold a plan
   */
  public static PlanFile read(Path file) {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".csv") && !lower.endsWith(".geojson") && !lower.endsWith(".json")) {
      throw new PlanFileException(
          file
              + ": a plan file must be the .csv or .geojson that kerbside plan collections writes");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PlanFileException(file + ": cannot read the plan file: " + e.getMessage(), e);
    }
    return lower.endsWith(".csv") ? csv(file.toString(), text) : geoJson(file.toString(), text);
  }

  /** A plan from CSV text; {@code source} names it in messages. */
  public static PlanFile csv(String source, String text) {
    List<List<String>> rows = CsvRows.parse(text);
    if (rows.isEmpty()) {
      throw new PlanFileException(source + ": empty, not a collection plan");
    }
    Map<String, Integer> col = new HashMap<>();
    List<String> header = rows.get(0);
    for (int i = 0; i < header.size(); i++) {
      col.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    for (String required : List.of("council", "date", "round", "asset_ref", "eta")) {
      if (!col.containsKey(required)) {
        throw new PlanFileException(
            source
                + ": no '"
                + required
                + "' column: not a collection plan written by kerbside plan collections");
      }
    }
    String council = null;
    LocalDate date = null;
    String round = null;
    List<PlanFile.Stop> stops = new ArrayList<>();
    for (int r = 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      if (row.size() == 1 && row.get(0).isBlank()) {
        continue;
      }
      String where = source + ": line " + (r + 1);
      if (row.size() != header.size()) {
        throw new PlanFileException(
            where + ": " + row.size() + " fields, the header has " + header.size());
      }
      String c = row.get(col.get("council"));
      LocalDate d = date(where, row.get(col.get("date")));
      String rn = row.get(col.get("round"));
      if (council == null) {
        council = c;
        date = d;
        round = rn;
      } else if (!council.equals(c) || !date.equals(d) || !round.equals(rn)) {
        throw new PlanFileException(
            where + ": a stop of another plan (" + c + " " + d + " " + rn + "); one plan a file");
      }
      stops.add(stop(where, row.get(col.get("asset_ref")), row.get(col.get("eta"))));
    }
    if (council == null) {
      throw new PlanFileException(
          source + ": no stops, so no council either; nothing to collect from it");
    }
    return new PlanFile(source, council, date, round, stops);
  }

  /** A plan from GeoJSON text; {@code source} names it in messages. */
  public static PlanFile geoJson(String source, String text) {
    Object root;
    try {
      root = tree(text);
    } catch (JsonProcessingException e) {
      throw new PlanFileException(
          source + ": not JSON: " + e.getOriginalMessage() + " at " + e.getLocation(), e);
    } catch (IOException e) {
      throw new PlanFileException(source + ": cannot be read: " + e.getMessage(), e);
    }
    Map<?, ?> collection = map(root);
    Map<?, ?> meta = collection == null ? null : map(collection.get("properties"));
    if (collection == null
        || !"FeatureCollection".equals(collection.get("type"))
        || meta == null
        || !(meta.get("council") instanceof String council)) {
      throw new PlanFileException(
          source
              + ": not a collection plan: expected a FeatureCollection with the plan's council,"
              + " date and round in its properties");
    }
    LocalDate date = date(source, String.valueOf(meta.get("date")));
    String round = String.valueOf(meta.get("round"));
    List<PlanFile.Stop> stops = new ArrayList<>();
    if (!(collection.get("features") instanceof List<?> features)) {
      throw new PlanFileException(source + ": no features");
    }
    int i = 0;
    for (Object f : features) {
      i++;
      Map<?, ?> props = map(map(f) == null ? null : map(f).get("properties"));
      if (props == null || !"stop".equals(props.get("kind"))) {
        continue;
      }
      String where = source + ": feature " + i;
      Object ref = props.get("asset_ref");
      Object eta = props.get("eta");
      stops.add(
          stop(
              where,
              ref instanceof String s ? s : "",
              eta instanceof String s ? s : eta == null ? "" : String.valueOf(eta)));
    }
    return new PlanFile(source, council, date, round, stops);
  }

  private static PlanFile.Stop stop(String where, String ref, String eta) {
    if (ref == null || ref.isBlank()) {
      throw new PlanFileException(where + ": a stop without an asset_ref");
    }
    if (eta == null || eta.isBlank()) {
      return new PlanFile.Stop(ref, null);
    }
    try {
      return new PlanFile.Stop(ref, Instant.parse(eta.trim()));
    } catch (DateTimeParseException e) {
      throw new PlanFileException(
          where + ": eta '" + eta + "' is not an instant like 2026-11-30T07:42:00Z", e);
    }
  }

  private static LocalDate date(String where, String text) {
    try {
      return LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new PlanFileException(where + ": date '" + text + "' is not a date like 2026-11-30");
    }
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : null;
  }

  /**
   * The one JSON value of {@code text} as maps, lists, strings, numbers, booleans and nulls.
   *
   * @throws JsonProcessingException when the text is not one JSON value
   */
  static Object tree(String text) throws IOException {
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() == null) {
        throw new JsonParseException(p, "no JSON value");
      }
      Object root = value(p);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "more than one JSON value");
      }
      return root;
    }
  }

  /** The value the parser is on, as maps, lists, strings, numbers, booleans and nulls. */
  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new PlanFileException("empty");
    }
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          m.put(key, value(p));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getNumberValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      default -> {
        return null;
      }
    }
  }
}
