package io.kerbside.analytics.rules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A rule's numeric parameters by name, each name ending in its unit ({@code fill_pct}, {@code
 * horizon_h}, {@code rise_window_min}). A rule declares its defaults; configuration may override
 * any of them per asset kind, ward or asset, but cannot invent new ones.
 */
public final class RuleParams {
  private final Map<String, Double> values;

  private RuleParams(Map<String, Double> values) {
    this.values = Map.copyOf(values);
  }

  /** Parameters from name/value pairs: {@code RuleParams.of("fill_pct", 85, "clear_pct", 60)}. */
  public static RuleParams of(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
    }
    return new RuleParams(m);
  }

  public static RuleParams none() {
    return new RuleParams(Map.of());
  }

  /** The value of {@code name}; throws for a name the rule did not declare. */
  public double get(String name) {
    Double v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no parameter " + name + " (have " + names() + ")");
    }
    return v;
  }

  /**
   * A duration parameter, by the unit its name ends in: {@code _s}, {@code _min}, {@code _h},
   * {@code _d}.
   */
  public Duration duration(String name) {
    double v = get(name);
    double seconds;
    if (name.endsWith("_s")) {
      seconds = v;
    } else if (name.endsWith("_min")) {
      seconds = v * 60;
    } else if (name.endsWith("_h")) {
      seconds = v * 3600;
    } else if (name.endsWith("_d")) {
      seconds = v * 86_400;
    } else {
      throw new IllegalArgumentException(name + " is not a duration (no _s/_min/_h/_d suffix)");
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public java.util.Set<String> names() {
    return new TreeMap<>(values).keySet();
  }

  /**
   * These parameters with {@code overrides} applied; every override must name a known parameter.
   */
  public RuleParams with(Map<String, Double> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    Map<String, Double> m = new LinkedHashMap<>(values);
    for (Map.Entry<String, Double> e : overrides.entrySet()) {
      if (!values.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "unknown parameter " + e.getKey() + " (known: " + names() + ")");
      }
      m.put(e.getKey(), e.getValue());
    }
    return new RuleParams(m);
  }

  public Map<String, Double> asMap() {
    return values;
  }

  @Override
  public String toString() {
    return new TreeMap<>(values).toString();
  }
}
