package io.kerbside.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import io.kerbside.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The device profiles ingest knows: the built-in ones shipped under {@code profiles/} on the class
 * path, then every {@code *.json} file of an optional directory (a file with the name of a built-in
 * profile replaces it). Loaded once at start-up; immutable and thread-safe afterwards.
 *
 * <p>Selection: ChirpStack by the event's {@code deviceInfo.deviceProfileName}; The Things Stack by
 * application id first (the operator's explicit choice), then by the device's {@code version_ids}
 * ({@code brand_id/model_id}); SenML by the prefix of the pack's base name. Two profiles claiming
 * the same key, or SenML base-name prefixes of which one starts the other, are a configuration
 * error, so at most one profile fits any message.
 */
public final class DeviceProfiles {
  private static final String BUILT_IN_INDEX = "profiles/built-in.txt";

  private final Map<String, DeviceProfile> byName;
  private final Map<String, DeviceProfile> byChirpstack = new HashMap<>();
  private final Map<String, DeviceProfile> byTtnApplication = new HashMap<>();
  private final Map<String, DeviceProfile> byTtnModel = new HashMap<>();
  private final Map<String, DeviceProfile> bySenmlPrefix = new TreeMap<>();

  private DeviceProfiles(Map<String, DeviceProfile> byName) {
    this.byName = Map.copyOf(byName);
    for (DeviceProfile p : new TreeMap<>(byName).values()) {
      claim(byChirpstack, p.chirpstackDeviceProfiles(), p, "ChirpStack device profile");
      claim(byTtnApplication, p.ttnApplications(), p, "TTN application");
      claim(byTtnModel, p.ttnModels(), p, "TTN model");
      claimPrefixes(p);
    }
  }

  /**
   * The built-in profiles plus those in {@code directory}.
   *
   * @throws ConfigException naming the file when a profile is invalid or two profiles collide
   */
  public static DeviceProfiles load(Optional<Path> directory) {
    Map<String, DeviceProfile> profiles = new LinkedHashMap<>();
    ObjectMapper mapper = new ObjectMapper();
    for (String file : builtInFiles()) {
      String resource = "profiles/" + file;
      try (InputStream in = DeviceProfiles.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new ConfigException("built-in device profile " + resource + " is missing");
        }
        DeviceProfile p = parse(mapper.readTree(in), resource);
        profiles.put(p.name(), p);
      } catch (IOException e) {
        throw new ConfigException("built-in device profile " + resource + ": " + e.getMessage());
      }
    }
    if (directory.isPresent()) {
      Path dir = directory.get();
      if (!Files.isDirectory(dir)) {
        throw new ConfigException("device profile directory " + dir + " does not exist");
      }
      Set<String> seen = new HashSet<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
        for (Path f : files) {
          DeviceProfile p = parse(mapper.readTree(f.toFile()), f.toString());
          if (!seen.add(p.name())) {
            throw new ConfigException(
                "device profile " + f + ": name '" + p.name() + "' is used by another file");
          }
          profiles.put(p.name(), p);
        }
      } catch (IOException e) {
        throw new ConfigException("device profiles in " + dir + ": " + e.getMessage());
      }
    }
    return new DeviceProfiles(profiles);
  }

  /** The profile for a ChirpStack device-profile name. */
  Optional<DeviceProfile> forChirpstack(String deviceProfileName) {
    return Optional.ofNullable(deviceProfileName).map(byChirpstack::get);
  }

  /** The profile for a TTN application id, else for its model ({@code brand/model}, nullable). */
  Optional<DeviceProfile> forTtn(String applicationId, String brandId, String modelId) {
    DeviceProfile p = byTtnApplication.get(applicationId);
    if (p == null && brandId != null && modelId != null) {
      p = byTtnModel.get(brandId + "/" + modelId);
    }
    return Optional.ofNullable(p);
  }

  /**
   * The profile whose {@code match.senml_base_names} holds a prefix of {@code baseName}; empty for
   * null. Prefixes of different profiles never overlap, so at most one fits.
   */
  Optional<DeviceProfile> forSenml(String baseName) {
    if (baseName == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, DeviceProfile> e : bySenmlPrefix.entrySet()) {
      if (baseName.startsWith(e.getKey())) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /** Profile names, for the start-up log. */
  public Set<String> names() {
    return new TreeMap<>(byName).keySet();
  }

  private static List<String> builtInFiles() {
    try (InputStream in =
        DeviceProfiles.class.getClassLoader().getResourceAsStream(BUILT_IN_INDEX)) {
      if (in == null) {
        throw new ConfigException(BUILT_IN_INDEX + " is missing from the class path");
      }
      List<String> files = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          files.add(l);
        }
      }
      return files;
    } catch (IOException e) {
      throw new ConfigException(BUILT_IN_INDEX + ": " + e.getMessage());
    }
  }

  private static void claim(
      Map<String, DeviceProfile> index, Set<String> keys, DeviceProfile p, String what) {
    for (String key : keys) {
      DeviceProfile other = index.putIfAbsent(key, p);
      if (other != null) {
        throw new ConfigException(
            "device profiles '"
                + other.name()
                + "' and '"
                + p.name()
                + "' both claim "
                + what
                + " '"
                + key
                + "'");
      }
    }
  }

  /**
   * Indexes {@code p}'s SenML base-name prefixes, refusing one that starts, or is started by, a
   * prefix of another profile: a base name could then fit both. Overlaps within one profile are
   * harmless.
   */
  private void claimPrefixes(DeviceProfile p) {
    for (String prefix : new TreeSet<>(p.senmlBaseNames())) {
      for (Map.Entry<String, DeviceProfile> e : bySenmlPrefix.entrySet()) {
        String other = e.getKey();
        if (e.getValue() != p && (prefix.startsWith(other) || other.startsWith(prefix))) {
          throw new ConfigException(
              "device profiles '"
                  + e.getValue().name()
                  + "' and '"
                  + p.name()
                  + "' have overlapping SenML base-name prefixes '"
                  + other
                  + "' and '"
                  + prefix
                  + "'");
        }
      }
      bySenmlPrefix.putIfAbsent(prefix, p);
    }
  }

  /** Reads one profile file; the format is documented in {@code docs/formats.md}. */
  static DeviceProfile parse(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw invalid(source, "must be a JSON object");
    }
    String name = root.path("name").asText("");
    if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw invalid(source, "'name' must be 1 to 64 characters of a-z 0-9 . _ -");
    }
    DeviceKind kind =
        DeviceKind.fromCode(root.path("kind").asText(""))
            .orElseThrow(() -> invalid(source, "'kind' must be bin, streetlight or pavement"));
    JsonNode match = root.path("match");
    Set<String> chirpstack = strings(match, "chirpstack_device_profiles", source);
    Set<String> ttnApps = strings(match, "ttn_applications", source);
    Set<String> ttnModels = strings(match, "ttn_models", source);
    for (String m : ttnModels) {
      if (!m.matches("[^/\\s]+/[^/\\s]+")) {
        throw invalid(
            source, "'match.ttn_models' entries must be brand_id/model_id, got '" + m + "'");
      }
    }
    Set<String> senml = strings(match, "senml_base_names", source);
    for (String prefix : senml) {
      if (!prefix.matches("[A-Za-z0-9][A-Za-z0-9:./_-]*")) {
        throw invalid(
            source,
            "'match.senml_base_names' entries must start with a letter or digit and use only"
                + " A-Z a-z 0-9 : . / _ -, got '"
                + prefix
                + "'");
      }
    }
    boolean nativeMetrics = root.path("native_metrics").asBoolean(false);
    double depth = root.path("bin_depth_mm").asDouble(0);
    if (depth < 0
        || depth > Metric.DISTANCE_MM.max()
        || root.has("bin_depth_mm") && kind != DeviceKind.BIN) {
      throw invalid(source, "'bin_depth_mm' must be 0.." + Metric.DISTANCE_MM.max() + " on a bin");
    }
    Map<String, DeviceProfile.Field> fields = new LinkedHashMap<>();
    JsonNode f = root.path("fields");
    if (!f.isMissingNode() && !f.isObject()) {
      throw invalid(source, "'fields' must be an object");
    }
    Iterator<Map.Entry<String, JsonNode>> it = f.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String where = "field '" + e.getKey() + "'";
      JsonNode spec = e.getValue();
      String code = spec.path("metric").asText("");
      Metric metric =
          Metric.fromCode(code)
              .filter(m -> m.appliesTo(kind))
              .orElseThrow(
                  () ->
                      invalid(
                          source, where + ": '" + code + "' is not a metric of " + kind.code()));
      String unit = spec.path("unit").asText("");
      if (!unit.isEmpty() && Units.convert(1, unit, metric).isEmpty()) {
        throw invalid(source, where + ": unit '" + unit + "' does not convert to " + code);
      }
      fields.put(
          e.getKey(), new DeviceProfile.Field(metric, unit, strings(spec, "not_measured", source)));
    }
    if (fields.isEmpty() && !nativeMetrics) {
      throw invalid(source, "maps no field: give 'fields' or set 'native_metrics'");
    }
    return new DeviceProfile(
        name,
        kind,
        chirpstack,
        ttnApps,
        ttnModels,
        senml,
        Map.copyOf(fields),
        nativeMetrics,
        depth);
  }

  private static Set<String> strings(JsonNode parent, String field, String source) {
    JsonNode n = parent.path(field);
    if (n.isMissingNode()) {
      return Set.of();
    }
    if (!n.isArray()) {
      throw invalid(source, "'" + field + "' must be an array of strings");
    }
    Set<String> out = new HashSet<>();
    for (JsonNode s : n) {
      if (!s.isTextual() || s.asText().isBlank()) {
        throw invalid(source, "'" + field + "' must be an array of non-empty strings");
      }
      out.add(s.asText());
    }
    return Set.copyOf(out);
  }

  private static ConfigException invalid(String source, String problem) {
    return new ConfigException("device profile " + source + ": " + problem);
  }
}
