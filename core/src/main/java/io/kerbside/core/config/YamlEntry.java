package io.kerbside.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mapping in a YAML configuration file together with where it is, and the typed readers its
 * values are parsed with. Every error is a {@link ConfigException} whose message starts with the
 * label - the file and the path to the entry, such as {@code routes.yaml: channels[0] 'crew'} - so
 * that a bad setting is found without reading the code.
 *
 * <p>An absent key and a key set to {@code null} are the same. Strings are trimmed, and an empty
 * one counts as absent. Readers that take a default return it for an absent key; the {@code
 * required*} readers, {@link #time} and {@link #httpUri} refuse one. The names follow {@link
 * Settings}, the reader of environment variables. Immutable; safe to share between threads.
 */
public final class YamlEntry {
  private static final String SECRET_VARIABLE = "KERBSIDE_[A-Z0-9_]+";

  private final String label;
  private final JsonNode node;

  /**
   * The mapping {@code node}, named {@code label} in messages.
   *
   * @throws ConfigException when {@code node} is not a mapping
   */
  public YamlEntry(String label, JsonNode node) {
    this.label = label;
    this.node = node;
    if (!node.isObject()) {
      throw error("must be a mapping of keys to values");
    }
  }

  /** Where the entry is, as messages name it. */
  public String label() {
    return label;
  }

  /** The same entry, labelled with its name: {@code label 'name'}. */
  public YamlEntry named(String name) {
    return new YamlEntry(label + " '" + name + "'", node);
  }

  /** An error about this entry: {@code label: message}. */
  public ConfigException error(String message) {
    return new ConfigException(label + ": " + message);
  }

  /** Refuses any key other than {@code keys}, naming the ones it expects. */
  public void onlyKeys(String... keys) {
    Set<String> allowed = Set.of(keys);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw error("unknown key '" + k + "' (expected one of " + String.join(", ", keys) + ")");
      }
    }
  }

  /**
   * The nested mapping under {@code key}, labelled {@code label: key}; an empty one when absent.
   */
  public YamlEntry child(String key) {
    JsonNode n = node.get(key);
    return new YamlEntry(
        label + ": " + key, n == null || n.isNull() ? JsonNodeFactory.instance.objectNode() : n);
  }

  /** The mappings listed under {@code key}, labelled {@code label: key[i]}; empty when absent. */
  public List<YamlEntry> list(String key) {
    JsonNode n = node.get(key);
    List<YamlEntry> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw error(key + " must be a list");
    }
    for (int i = 0; i < n.size(); i++) {
      out.add(new YamlEntry(label + ": " + key + "[" + i + "]", n.get(i)));
    }
    return out;
  }

  /** The single value under {@code key}, trimmed; empty when absent or blank. */
  public Optional<String> optionalString(String key) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isValueNode()) {
      throw error(key + " must be a single value");
    }
    String v = n.asText().trim();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public String string(String key, String defaultValue) {
    return optionalString(key).orElse(defaultValue);
  }

  public String requiredString(String key) {
    return optionalString(key).orElseThrow(() -> error(key + " is required"));
  }

  /** A whole number from {@code min} to {@code max}; {@code defaultValue} when absent. */
  public int intBetween(String key, int defaultValue, int min, int max) {
    return optionalInt(key, min, max).orElse(defaultValue);
  }

  /** A whole number from {@code min} to {@code max}. */
  public int requiredIntBetween(String key, int min, int max) {
    return optionalInt(key, min, max).orElseThrow(() -> error(key + " is required"));
  }

  /** A number from {@code min} to {@code max}; {@code defaultValue} when absent. */
  public double doubleBetween(String key, double defaultValue, double min, double max) {
    return optionalDouble(key, min, max).orElse(defaultValue);
  }

  /** A number from {@code min} to {@code max}. */
  public double requiredDoubleBetween(String key, double min, double max) {
    return optionalDouble(key, min, max).orElseThrow(() -> error(key + " is required"));
  }

  /** {@code true} or {@code false}; {@code defaultValue} when absent. */
  public boolean bool(String key, boolean defaultValue) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return defaultValue;
    }
    if (!n.isBoolean()) {
      throw error(key + " must be true or false, got '" + n.asText() + "'");
    }
    return n.booleanValue();
  }

  /** A time of day written HH:MM (or HH:MM:SS). */
  public LocalTime time(String key) {
    String v = optionalString(key).orElseThrow(() -> error(key + " is required (HH:MM)"));
    try {
      return LocalTime.parse(v);
    } catch (DateTimeParseException e) {
      throw error(key + " must be a time of day such as 07:30, got '" + v + "'");
    }
  }

  /** A list of non-blank plain values, trimmed; a single value counts as a list of one. */
  public List<String> strings(String key) {
    JsonNode n = node.get(key);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isValueNode()) {
      out.add(n.asText().trim());
      return out;
    }
    if (!n.isArray()) {
      throw error(key + " must be a list");
    }
    for (JsonNode item : n) {
      if (!item.isValueNode() || item.asText().isBlank()) {
        throw error(key + " must list plain values");
      }
      out.add(item.asText().trim());
    }
    return out;
  }

  /** {@link #strings} without duplicates, unmodifiable. */
  public Set<String> stringSet(String key) {
    return Set.copyOf(new HashSet<>(strings(key)));
  }

  /** A mapping of keys to non-blank plain values, trimmed, in file order; empty when absent. */
  public Map<String, String> stringMap(String key) {
    JsonNode n = node.get(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw error(key + " must be a mapping");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getValue().isValueNode() || f.getValue().asText().isBlank()) {
        throw error(key + "." + f.getKey() + " must be a plain value");
      }
      out.put(f.getKey(), f.getValue().asText().trim());
    }
    return out;
  }

  /** An absolute http:// or https:// URL with a host. */
  public URI httpUri(String key) {
    String raw = requiredString(key);
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below with the setting's name
    }
    throw error(key + " must be an http:// or https:// URL, got '" + raw + "'");
  }

  /**
   * The secret in the environment variable that {@code key} names: secrets are never written into
   * the file. {@link Secret#empty()} when the key is absent and not {@code required}.
   *
   * @throws ConfigException when the key names no KERBSIDE_* variable, or one that is not set
   */
  public Secret secret(String key, Settings settings, boolean required) {
    Optional<String> var = optionalString(key);
    if (var.isEmpty()) {
      if (required) {
        throw error(key + " is required: the name of the environment variable with the secret");
      }
      return Secret.empty();
    }
    if (!var.get().matches(SECRET_VARIABLE)) {
      throw error(key + " must name a KERBSIDE_* environment variable, got '" + var.get() + "'");
    }
    Secret s = settings.secret(var.get());
    if (s.isEmpty()) {
      throw error(key + " names " + var.get() + ", which is not set");
    }
    return s;
  }

  private Optional<Integer> optionalInt(String key, int min, int max) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw error(key + " must be a whole number, got '" + n.asText() + "'");
    }
    int v = n.intValue();
    if (v < min || v > max) {
      throw error(key + " must be between " + min + " and " + max + ", got " + v);
    }
    return Optional.of(v);
  }

  private Optional<Double> optionalDouble(String key, double min, double max) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isNumber()) {
      throw error(key + " must be a number, got '" + n.asText() + "'");
    }
    double v = n.doubleValue();
    if (!(v >= min && v <= max)) {
      throw error(
          key + " must be between " + plain(min) + " and " + plain(max) + ", got " + plain(v));
    }
    return Optional.of(v);
  }

  /** {@code 5} rather than {@code 5.0} in messages, as the file would have it. */
  private static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : Double.toString(v);
  }
}
