package io.kerbside.registry.parse;

import io.kerbside.registry.parse.AssetListReader.RawRecord;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A GeoJSON FeatureCollection of Point features: the position from the geometry ({@code [longitude,
 * latitude]}), the other fields from the properties; the feature's {@code id} stands for {@code
 * device_id} when the properties have none.
 */
final class GeoJsonRecords {
  private GeoJsonRecords() {}

  static List<RawRecord> read(Reader in) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buf = new char[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      text.append(buf, 0, n);
    }
    JsonObject root;
    try {
      root = new JsonObject(text.toString());
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedAssetListException("the file is not a JSON object: " + e.getMessage());
    }
    if (!"FeatureCollection".equals(root.getValue("type"))
        || !(root.getValue("features") instanceof JsonArray features)) {
      throw new MalformedAssetListException(
          "the file is not a GeoJSON FeatureCollection with a features array");
    }
    List<RawRecord> records = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      records.add(feature("feature " + (i + 1), features.getValue(i)));
    }
    return records;
  }

  private static RawRecord feature(String position, Object value) {
    Map<String, String> fields = new HashMap<>();
    if (!(value instanceof JsonObject feature) || !"Feature".equals(feature.getValue("type"))) {
      return new RawRecord(position, fields, "is not a GeoJSON Feature");
    }
    if (feature.getValue("properties") instanceof JsonObject props) {
      for (Map.Entry<String, Object> e : props) {
        if (e.getValue() instanceof String || e.getValue() instanceof Number) {
          fields.put(e.getKey(), String.valueOf(e.getValue()));
        } else if (e.getValue() instanceof Boolean b) {
          fields.put(e.getKey(), b.toString());
        }
      }
    }
    fields.remove("latitude");
    fields.remove("longitude");
    if (!fields.containsKey("device_id") && feature.getValue("id") != null) {
      fields.put("device_id", String.valueOf(feature.getValue("id")));
    }
    if (!(feature.getValue("geometry") instanceof JsonObject geometry)
        || !"Point".equals(geometry.getValue("type"))
        || !(geometry.getValue("coordinates") instanceof JsonArray xy)
        || xy.size() < 2
        || !(xy.getValue(0) instanceof Number lon)
        || !(xy.getValue(1) instanceof Number lat)) {
      return new RawRecord(position, fields, "geometry must be a Point [longitude, latitude]");
    }
    fields.put("longitude", String.valueOf(lon.doubleValue()));
    fields.put("latitude", String.valueOf(lat.doubleValue()));
    return new RawRecord(position, fields, null);
  }
}
