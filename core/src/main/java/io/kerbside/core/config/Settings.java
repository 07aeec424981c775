package io.kerbside.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Raw configuration: environment variables, optionally over a properties file named by {@code
 * KERBSIDE_CONFIG_FILE} (the environment wins). Typed accessors validate and name the setting in
 * every error. Only module configuration records read from here, once, at start-up.
 */
public final class Settings {
  public static final String CONFIG_FILE = "KERBSIDE_CONFIG_FILE";
  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Settings from the process environment and the optional file it names. */
  public static Settings fromEnvironment() {
    return from(System.getenv());
  }

  /** Settings from the given variables and the optional file they name. */
  public static Settings from(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    String file = env.get(CONFIG_FILE);
    if (file != null && !file.isBlank()) {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(Path.of(file))) {
        props.load(reader);
      } catch (IOException e) {
        throw new ConfigException(CONFIG_FILE + " names a file that cannot be read: " + file);
      }
      props.stringPropertyNames().forEach(k -> merged.put(k, props.getProperty(k).trim()));
    }
    env.forEach(
        (k, v) -> {
          if (k.startsWith("KERBSIDE_")) {
            merged.put(k, v);
          }
        });
    return new Settings(merged);
  }

  /** A copy with {@code key} set to {@code value}; for command-line options that override. */
  public Settings with(String key, String value) {
    Map<String, String> copy = new HashMap<>(values);
    copy.put(key, value);
    return new Settings(copy);
  }

  public String string(String key, String defaultValue) {
    String v = values.get(key);
    return v == null || v.isBlank() ? defaultValue : v.trim();
  }

  public Secret secret(String key) {
    return Secret.of(values.get(key));
  }

  public int intBetween(String key, int defaultValue, int min, int max) {
    long v = longBetween(key, defaultValue, min, max);
    return (int) v;
  }

  public long longBetween(String key, long defaultValue, long min, long max) {
    String raw = values.get(key);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    long v;
    try {
      v = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a whole number, got '" + raw.trim() + "'");
    }
    if (v < min || v > max) {
      throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  public boolean bool(String key, boolean defaultValue) {
    String raw = values.get(key);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1":
        return true;
      case "false", "no", "off", "0":
        return false;
      default:
        throw new ConfigException(key + " must be true or false, got '" + raw.trim() + "'");
    }
  }

  public <E extends Enum<E>> E choice(String key, E defaultValue) {
    String raw = values.get(key);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(
          defaultValue.getDeclaringClass(), raw.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E c : defaultValue.getDeclaringClass().getEnumConstants()) {
        allowed.append(allowed.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new ConfigException(key + " must be one of " + allowed + ", got '" + raw.trim() + "'");
    }
  }
}
