package io.kerbside.analytics.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
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
 * A mapping in the routes file with its location, for error messages that say where; the typed
 * readers a route or a channel's settings parse themselves with.
 */
final class RoutesEntry {
  final String source;
  final String label;
  final JsonNode node;

  RoutesEntry(String source, String label, JsonNode node) {
    this.source = source;
    this.label = label;
    this.node = node;
    if (!node.isObject()) {
      throw error("must be a mapping of keys to values");
    }
  }

  RoutesEntry named(String name) {
    return new RoutesEntry(source, label + " '" + name + "'", node);
  }

  ConfigException error(String message) {
    return new ConfigException(label + ": " + message);
  }

  void onlyKeys(String... keys) {
    Set<String> allowed = Set.of(keys);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw error("unknown key '" + k + "' (expected one of " + String.join(", ", keys) + ")");
      }
    }
  }

  List<RoutesEntry> list(String key, String where) {
    JsonNode n = node.get(key);
    List<RoutesEntry> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw error(key + " must be a list");
    }
    for (int i = 0; i < n.size(); i++) {
      out.add(new RoutesEntry(source, where + "[" + i + "]", n.get(i)));
    }
    return out;
  }

  Optional<String> optionalString(String key) {
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

  String string(String key, String defaultValue) {
    return optionalString(key).orElse(defaultValue);
  }

  String requiredString(String key) {
    return optionalString(key).orElseThrow(() -> error(key + " is required"));
  }

  int intBetween(String key, int defaultValue, int min, int max) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return defaultValue;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw error(key + " must be a whole number, got '" + n.asText() + "'");
    }
    int v = n.intValue();
    if (v < min || v > max) {
      throw error(key + " must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  boolean bool(String key, boolean defaultValue) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return defaultValue;
    }
    if (!n.isBoolean()) {
      throw error(key + " must be true or false, got '" + n.asText() + "'");
    }
    return n.booleanValue();
  }

  /** A list of strings; a single value counts as a list of one. */
  List<String> strings(String key) {
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

  Set<String> stringSet(String key) {
    return Set.copyOf(new HashSet<>(strings(key)));
  }

  Map<String, String> stringMap(String key) {
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

  URI httpUri(String key) {
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

  /** The secret in the environment variable that {@code key} names. */
  Secret secret(String key, Settings settings, boolean required) {
    Optional<String> var = optionalString(key);
    if (var.isEmpty()) {
      if (required) {
        throw error(key + " is required: the name of the environment variable with the secret");
      }
      return Secret.empty();
    }
    if (!var.get().matches("KERBSIDE_[A-Z0-9_]+")) {
      throw error(key + " must name a KERBSIDE_* environment variable, got '" + var.get() + "'");
    }
    Secret s = settings.secret(var.get());
    if (s.isEmpty()) {
      throw error(key + " names " + var.get() + ", which is not set");
    }
    return s;
  }
}
