package io.kerbside.analytics.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kerbside.analytics.rules.Severity;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Plaintext;
import io.kerbside.core.config.SafeUrl;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.tls.ClientTls;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The channels alert notices go to and the routes that choose them, from the YAML file named by
 * {@value #FILE} (see docs/delivery.md). Immutable and thread-safe; loaded and validated once at
 * start-up, with errors that name the file and the entry.
 *
 * <p>Secrets are never in the file: an entry names the environment variable that holds each one
 * ({@code secret_env}, {@code password_env}, {@code api_key_env}), read through {@link Settings}.
 *
 * <p>An Open311 channel is offered only {@code opened} and {@code reopened} events: a works request
 * is raised once per occurrence of a condition, and its closure is read back by polling.
 */
public final class RoutesConfig implements Routing {
  public static final String FILE = "KERBSIDE_ANALYTICS_ROUTES_FILE";

  static final Set<String> KINDS = Set.of("bin", "streetlight", "pavement");
  static final Set<String> EVENTS =
      Set.of("opened", "reopened", "escalated", "acknowledged", "assigned", "note", "resolved");
  private static final Set<String> WORK_ORDER_EVENTS = Set.of("opened", "reopened");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+");
  private static final Pattern MQTT_URL = Pattern.compile("(tcp|ssl|ws|wss)://[^/\\s]+(:\\d+)?/?");

  /** One route: a notice matches when it passes every filter given (an absent filter passes). */
  public record Route(
      String name,
      Set<String> councils,
      Set<String> kinds,
      Set<String> wards,
      Optional<Severity> minSeverity,
      Set<String> rules,
      Set<String> events,
      List<String> channels) {

    public boolean matches(AlertNotice n) {
      return (councils.isEmpty() || councils.contains(n.councilSlug()))
          && (kinds.isEmpty() || kinds.contains(n.kind()))
          && (wards.isEmpty() || n.ward().map(wards::contains).orElse(false))
          && (rules.isEmpty() || rules.contains(n.rule()))
          && (events.isEmpty() || events.contains(n.eventType()))
          && minSeverity
              .map(min -> Severity.fromCode(n.severity()).map(s -> s.atLeast(min)).orElse(false))
              .orElse(true);
    }
  }

  private final String source;
  private final Map<String, ChannelSettings> channels;
  private final List<Route> routes;

  private RoutesConfig(String source, Map<String, ChannelSettings> channels, List<Route> routes) {
    this.source = source;
    this.channels = channels;
    this.routes = routes;
  }

  /** No channels and no routes: nobody is told. */
  public static RoutesConfig empty() {
    return new RoutesConfig("(none)", Map.of(), List.of());
  }

  /** The file named by {@value #FILE}, or {@link #empty()} when it is not set. */
  public static RoutesConfig from(Settings settings) {
    String file = settings.string(FILE, "");
    return file.isEmpty() ? empty() : load(Path.of(file), settings);
  }

  /**
   * Reads and validates a routes file.
   *
   * @throws ConfigException naming the file and entry when it cannot be read or is invalid
   */
  public static RoutesConfig load(Path file, Settings settings) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(FILE + " names a file that cannot be read: " + file);
    }
    return parse(text, file.toString(), settings);
  }

  /** Parses routes YAML; {@code source} names it in error messages. */
  public static RoutesConfig parse(String yaml, String source, Settings settings) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (IOException e) {
      String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new ConfigException(source + ": not valid YAML: " + why);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new RoutesConfig(source, Map.of(), List.of());
    }
    Entry top = new Entry(source, source, root);
    top.onlyKeys("channels", "routes");
    Map<String, ChannelSettings> channels = new LinkedHashMap<>();
    List<Entry> channelEntries = top.list("channels", source + ": channels");
    for (Entry e : channelEntries) {
      ChannelSettings c = channel(e, settings);
      if (channels.putIfAbsent(c.name(), c) != null) {
        throw e.named(c.name()).error("a channel named '" + c.name() + "' is already declared");
      }
    }
    List<Route> routes = new ArrayList<>();
    for (Entry e : top.list("routes", source + ": routes")) {
      routes.add(route(e, channels));
    }
    return new RoutesConfig(source, Collections.unmodifiableMap(channels), List.copyOf(routes));
  }

  @Override
  public List<String> channelsFor(AlertNotice notice) {
    Set<String> out = new LinkedHashSet<>();
    for (Route r : routes) {
      if (r.matches(notice)) {
        for (String c : r.channels()) {
          if (channels.get(c).type() != ChannelType.OPEN311
              || WORK_ORDER_EVENTS.contains(notice.eventType())) {
            out.add(c);
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /** The declared channels, in file order. */
  public List<ChannelSettings> channels() {
    return List.copyOf(channels.values());
  }

  public Optional<ChannelSettings> channel(String name) {
    return Optional.ofNullable(channels.get(name));
  }

  public List<Route> routes() {
    return routes;
  }

  @Override
  public String toString() {
    return "RoutesConfig[source="
        + source
        + ", channels="
        + channels()
        + ", routes="
        + routes
        + "]";
  }

  private static ChannelSettings channel(Entry e, Settings settings) {
    String name = e.requiredString("name");
    if (!NAME.matcher(name).matches()) {
      throw e.error("name must be 1 to 63 characters of a-z 0-9 _ -, got '" + name + "'");
    }
    Entry c = e.named(name);
    String typeCode = c.requiredString("type");
    ChannelType type =
        ChannelType.fromCode(typeCode)
            .orElseThrow(
                () ->
                    c.error(
                        "type must be one of webhook, mqtt, email, open311, got '"
                            + typeCode
                            + "'"));
    switch (type) {
      case WEBHOOK:
        c.onlyKeys("name", "type", "url", "secret_env", "connect_timeout_ms", "timeout_ms");
        return new ChannelSettings.Webhook(
            name,
            c.httpUri("url"),
            c.secret("secret_env", settings, true),
            c.intBetween("connect_timeout_ms", 5_000, 100, 60_000),
            c.intBetween("timeout_ms", 10_000, 100, 120_000));
      case MQTT:
        {
          c.onlyKeys(
              "name",
              "type",
              "url",
              "topic_prefix",
              "username",
              "password_env",
              "client_id",
              "timeout_ms",
              "ca_file",
              "client_cert",
              "client_key");
          String url = c.requiredString("url");
          if (!MQTT_URL.matcher(url).matches()) {
            throw c.error(
                "url must look like tcp://host:1883 or ssl://host:8883, got '" + url + "'");
          }
          ClientTls tls = mqttTls(c, url, settings);
          String prefix = c.string("topic_prefix", "kerbside/alerts");
          if (prefix.isEmpty()
              || prefix.startsWith("/")
              || prefix.endsWith("/")
              || prefix.contains("+")
              || prefix.contains("#")) {
            throw c.error(
                "topic_prefix must be a topic without wildcards or leading/trailing '/', got '"
                    + prefix
                    + "'");
          }
          String clientId =
              c.string(
                  "client_id",
                  // unique per process: two instances with one client id would disconnect each
                  // other
                  "kerbside-notify-" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
          if (clientId.length() > 64 || !clientId.matches("[A-Za-z0-9_.-]+")) {
            throw c.error("client_id must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
          }
          return new ChannelSettings.Mqtt(
              name,
              url,
              prefix,
              c.string("username", ""),
              c.secret("password_env", settings, false),
              clientId,
              c.intBetween("timeout_ms", 10_000, 100, 120_000),
              tls);
        }
      case EMAIL:
        {
          c.onlyKeys(
              "name",
              "type",
              "host",
              "port",
              "starttls",
              "username",
              "password_env",
              "from",
              "to",
              "timeout_ms");
          String from = c.requiredString("from");
          if (!EMAIL.matcher(from).matches()) {
            throw c.error("from must be an e-mail address, got '" + from + "'");
          }
          List<String> to = new ArrayList<>(c.strings("to"));
          if (to.isEmpty()) {
            throw c.error("to must list at least one e-mail address");
          }
          for (String addr : to) {
            if (!EMAIL.matcher(addr).matches()) {
              throw c.error("to must list e-mail addresses, got '" + addr + "'");
            }
          }
          boolean starttls = c.bool("starttls", true);
          return new ChannelSettings.Email(
              name,
              c.requiredString("host"),
              c.intBetween("port", starttls ? 587 : 25, 1, 65_535),
              starttls,
              c.string("username", ""),
              c.secret("password_env", settings, false),
              from,
              List.copyOf(to),
              c.intBetween("timeout_ms", 10_000, 100, 120_000));
        }
      case OPEN311:
        {
          c.onlyKeys(
              "name",
              "type",
              "endpoint",
              "api_key_env",
              "jurisdiction_id",
              "service_codes",
              "default_service_code",
              "timeout_ms");
          Map<String, String> codes = c.stringMap("service_codes");
          for (String rule : codes.keySet()) {
            if (!RULE.matcher(rule).matches()) {
              throw c.error("service_codes keys must be rule names, got '" + rule + "'");
            }
          }
          Optional<String> fallback = c.optionalString("default_service_code");
          if (codes.isEmpty() && fallback.isEmpty()) {
            throw c.error("service_codes or default_service_code must be given");
          }
          URI endpoint = c.httpUri("endpoint");
          return new ChannelSettings.Open311(
              name,
              endpoint,
              c.secret("api_key_env", settings, true),
              c.optionalString("jurisdiction_id"),
              Map.copyOf(codes),
              fallback,
              c.intBetween("timeout_ms", 10_000, 100, 120_000));
        }
      default:
        throw new IllegalStateException(type.toString());
    }
  }

  private static Route route(Entry e, Map<String, ChannelSettings> channels) {
    e.onlyKeys("name", "councils", "kinds", "wards", "min_severity", "rules", "events", "channels");
    Entry r = e.optionalString("name").map(e::named).orElse(e);
    Set<String> kinds = r.stringSet("kinds");
    for (String k : kinds) {
      if (!KINDS.contains(k)) {
        throw r.error("kinds must be among bin, streetlight, pavement, got '" + k + "'");
      }
    }
    Set<String> events = r.stringSet("events");
    for (String ev : events) {
      if (!EVENTS.contains(ev)) {
        throw r.error(
            "events must be among opened, reopened, escalated, acknowledged, assigned, note,"
                + " resolved, got '"
                + ev
                + "'");
      }
    }
    Set<String> rules = r.stringSet("rules");
    for (String rule : rules) {
      if (!RULE.matcher(rule).matches()) {
        throw r.error("rules must be rule names such as bin-full, got '" + rule + "'");
      }
    }
    Optional<Severity> min = Optional.empty();
    Optional<String> minCode = r.optionalString("min_severity");
    if (minCode.isPresent()) {
      min = Severity.fromCode(minCode.get());
      if (min.isEmpty()) {
        throw r.error(
            "min_severity must be one of critical, major, minor, warning, got '"
                + minCode.get()
                + "'");
      }
    }
    List<String> targets = new ArrayList<>(new LinkedHashSet<>(r.strings("channels")));
    if (targets.isEmpty()) {
      throw r.error("channels must name at least one channel");
    }
    for (String t : targets) {
      if (!channels.containsKey(t)) {
        throw r.error("channels names '" + t + "', which is not declared under channels");
      }
    }
    return new Route(
        r.label,
        r.stringSet("councils"),
        kinds,
        r.stringSet("wards"),
        min,
        rules,
        events,
        List.copyOf(targets));
  }

  /** A mapping in the file with its location, for error messages that say where. */
  /**
   * The broker TLS files of an MQTT channel, checked against its URL: they need {@code ssl://} or
   * {@code wss://}, and production refuses an unencrypted URL to a broker on another machine.
   */
  private static ClientTls mqttTls(Entry c, String url, Settings settings) {
    ClientTls tls =
        ClientTls.of(
            optionalPath(c.string("ca_file", "")),
            optionalPath(c.string("client_cert", "")),
            optionalPath(c.string("client_key", "")),
            c.label + ": ca_file",
            c.label + ": client_cert",
            c.label + ": client_key");
    boolean encrypted = url.startsWith("ssl://") || url.startsWith("wss://");
    if (!encrypted && !tls.isDefault()) {
      throw c.error("ca_file, client_cert and client_key need an ssl:// or wss:// url");
    }
    String host = Plaintext.hostOf(url);
    if (!encrypted && Plaintext.refused(settings, host)) {
      throw c.error(
          "url must be ssl:// (or wss://) for the broker host '"
              + host
              + "' when KERBSIDE_ENV=production, got '"
              + SafeUrl.of(url)
              + "'; set "
              + Plaintext.ALLOW_PLAINTEXT
              + "=true to allow it unencrypted");
    }
    return tls;
  }

  private static Optional<Path> optionalPath(String raw) {
    return raw.isEmpty() ? Optional.empty() : Optional.of(Path.of(raw));
  }

  private static final class Entry {
    final String source;
    final String label;
    final JsonNode node;

    Entry(String source, String label, JsonNode node) {
      this.source = source;
      this.label = label;
      this.node = node;
      if (!node.isObject()) {
        throw error("must be a mapping of keys to values");
      }
    }

    Entry named(String name) {
      return new Entry(source, label + " '" + name + "'", node);
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

    List<Entry> list(String key, String where) {
      JsonNode n = node.get(key);
      List<Entry> out = new ArrayList<>();
      if (n == null || n.isNull()) {
        return out;
      }
      if (!n.isArray()) {
        throw error(key + " must be a list");
      }
      for (int i = 0; i < n.size(); i++) {
        out.add(new Entry(source, where + "[" + i + "]", n.get(i)));
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
}
