package io.kerbside.analytics.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rules run, at which severity, with which parameters for which subject. Parameters resolve
 * from the rule's defaults, then the rule's configuration, then per asset kind, per ward, per asset
 * (the most specific wins). Loaded from a YAML file:
 *
 * <pre>
 * bin-full:
 *   severity: major
 *   fill_pct: 85
 *   wards:
 *     Market: { fill_pct: 75 }      # the high street fills fast: act earlier
 *   assets:
 *     CAS/BIN/00042: { fill_pct: 70 }
 * battery-low:
 *   kinds:
 *     pavement: { battery_v: 3.3 }
 * stuck-sensor:
 *   enabled: false
 * </pre>
 *
 * Unknown rules, unknown parameters and non-numeric values fail at start-up, naming the entry.
 */
public final class RuleSettings {
  private final Map<String, Entry> entries;

  private record Entry(
      Rule rule,
      boolean enabled,
      Severity severity,
      RuleParams params,
      Map<DeviceKind, RuleParams> byKind,
      Map<String, RuleParams> byWard,
      Map<String, RuleParams> byAsset) {}

  private RuleSettings(Map<String, Entry> entries) {
    this.entries = entries;
  }

  /** Every shipped rule, enabled, with its defaults. */
  public static RuleSettings defaults() {
    return from(Map.of(), "defaults");
  }

  /** Settings from a YAML file (see the class comment); {@code setting} names it in errors. */
  public static RuleSettings load(Path file, String setting) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
      Map<String, JsonNode> byRule = new LinkedHashMap<>();
      if (root != null && !root.isNull() && !root.isMissingNode()) {
        if (!root.isObject()) {
          throw new ConfigException(setting + " (" + file + ") must map rule codes to settings");
        }
        root.fields().forEachRemaining(e -> byRule.put(e.getKey(), e.getValue()));
      }
      return from(byRule, setting + " (" + file + ")");
    } catch (IOException e) {
      throw new ConfigException(setting + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  static RuleSettings from(Map<String, JsonNode> byRule, String source) {
    for (String code : byRule.keySet()) {
      if (RuleCatalog.byCode(code).isEmpty()) {
        throw new ConfigException(
            source
                + ": unknown rule "
                + code
                + " (known: "
                + RuleCatalog.all().stream().map(Rule::code).toList()
                + ")");
      }
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Rule rule : RuleCatalog.all()) {
      JsonNode node = byRule.get(rule.code());
      String where = source + ": " + rule.code();
      entries.put(rule.code(), entry(rule, node, where));
    }
    return new RuleSettings(entries);
  }

  private static Entry entry(Rule rule, JsonNode node, String where) {
    boolean enabled = true;
    Severity severity = rule.defaultSeverity();
    Map<String, Double> own = new HashMap<>();
    Map<DeviceKind, RuleParams> byKind = new HashMap<>();
    Map<String, RuleParams> byWard = new HashMap<>();
    Map<String, RuleParams> byAsset = new HashMap<>();
    RuleParams params = rule.defaults();
    if (node != null && !node.isNull()) {
      if (!node.isObject()) {
        throw new ConfigException(where + " must be a mapping");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        JsonNode v = e.getValue();
        switch (key) {
          case "enabled" -> {
            if (!v.isBoolean()) {
              throw new ConfigException(where + ".enabled must be true or false");
            }
            enabled = v.booleanValue();
          }
          case "severity" ->
              severity =
                  Severity.fromCode(v.asText())
                      .orElseThrow(
                          () ->
                              new ConfigException(
                                  where
                                      + ".severity must be one of critical, major, minor, warning,"
                                      + " got "
                                      + v.asText()));
          case "kinds", "wards", "assets" -> {}
          default -> own.put(key, number(v, where + "." + key));
        }
      }
      params = withOverrides(params, own, where);
      RuleParams base = params;
      for (Map.Entry<String, Map<String, Double>> k : group(node, "kinds", where).entrySet()) {
        DeviceKind kind =
            DeviceKind.fromCode(k.getKey())
                .filter(rule.kinds()::contains)
                .orElseThrow(
                    () ->
                        new ConfigException(
                            where
                                + ".kinds: "
                                + k.getKey()
                                + " is not a kind this rule applies to ("
                                + rule.kinds().stream().map(DeviceKind::code).sorted().toList()
                                + ")"));
        byKind.put(kind, withOverrides(base, k.getValue(), where + ".kinds." + k.getKey()));
      }
      for (Map.Entry<String, Map<String, Double>> w : group(node, "wards", where).entrySet()) {
        byWard.put(w.getKey(), withOverrides(base, w.getValue(), where + ".wards." + w.getKey()));
      }
      for (Map.Entry<String, Map<String, Double>> a : group(node, "assets", where).entrySet()) {
        byAsset.put(a.getKey(), withOverrides(base, a.getValue(), where + ".assets." + a.getKey()));
      }
    }
    return new Entry(rule, enabled, severity, params, byKind, byWard, byAsset);
  }

  private static Map<String, Map<String, Double>> group(JsonNode node, String name, String where) {
    JsonNode g = node.get(name);
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    if (g == null || g.isNull()) {
      return out;
    }
    if (!g.isObject()) {
      throw new ConfigException(where + "." + name + " must be a mapping");
    }
    g.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isObject()) {
                throw new ConfigException(
                    where + "." + name + "." + e.getKey() + " must map parameters to numbers");
              }
              Map<String, Double> values = new LinkedHashMap<>();
              e.getValue()
                  .fields()
                  .forEachRemaining(
                      p ->
                          values.put(
                              p.getKey(),
                              number(
                                  p.getValue(),
                                  where + "." + name + "." + e.getKey() + "." + p.getKey())));
              out.put(e.getKey(), values);
            });
    return out;
  }

  private static double number(JsonNode v, String where) {
    if (!v.isNumber()) {
      throw new ConfigException(where + " must be a number, got " + v);
    }
    return v.doubleValue();
  }

  private static RuleParams withOverrides(
      RuleParams base, Map<String, Double> overrides, String where) {
    try {
      return base.with(overrides);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
  }

  /** The enabled rules, in catalogue order. */
  public List<Rule> enabledRules() {
    return entries.values().stream().filter(Entry::enabled).map(Entry::rule).toList();
  }

  public Severity severity(Rule rule) {
    return entries.get(rule.code()).severity();
  }

  /** The parameters of {@code rule} for {@code subject}: asset, then ward, then kind overrides. */
  public RuleParams params(Rule rule, Subject subject) {
    Entry e = entries.get(rule.code());
    if (subject.asset().isPresent()) {
      Subject.AssetInfo a = subject.asset().get();
      RuleParams p = e.byAsset().get(a.assetRef());
      if (p != null) {
        return p;
      }
      if (a.ward() != null) {
        p = e.byWard().get(a.ward());
        if (p != null) {
          return p;
        }
      }
    }
    return e.byKind().getOrDefault(subject.kind(), e.params());
  }
}
