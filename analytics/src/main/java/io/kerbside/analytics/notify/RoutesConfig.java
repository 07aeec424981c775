package io.kerbside.analytics.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kerbside.analytics.rules.Severity;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import io.kerbside.core.config.YamlEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  static final Pattern RULE = Pattern.compile("[a-z][a-z0-9-]{0,62}");

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
    YamlEntry top = new YamlEntry(source, root);
    top.onlyKeys("channels", "routes");
    Map<String, ChannelSettings> channels = new LinkedHashMap<>();
    List<YamlEntry> channelEntries = top.list("channels");
    for (YamlEntry e : channelEntries) {
      ChannelSettings c = channel(e, settings);
      if (channels.putIfAbsent(c.name(), c) != null) {
        throw e.named(c.name()).error("a channel named '" + c.name() + "' is already declared");
      }
    }
    List<Route> routes = new ArrayList<>();
    for (YamlEntry e : top.list("routes")) {
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

  private static ChannelSettings channel(YamlEntry e, Settings settings) {
    String name = e.requiredString("name");
    if (!NAME.matcher(name).matches()) {
      throw e.error("name must be 1 to 63 characters of a-z 0-9 _ -, got '" + name + "'");
    }
    YamlEntry c = e.named(name);
    String typeCode = c.requiredString("type");
    ChannelType type =
        ChannelType.fromCode(typeCode)
            .orElseThrow(
                () ->
                    c.error(
                        "type must be one of webhook, mqtt, email, open311, got '"
                            + typeCode
                            + "'"));
    return switch (type) {
      case WEBHOOK -> ChannelSettings.Webhook.parse(name, c, settings);
      case MQTT -> ChannelSettings.Mqtt.parse(name, c, settings);
      case EMAIL -> ChannelSettings.Email.parse(name, c, settings);
      case OPEN311 -> ChannelSettings.Open311.parse(name, c, settings);
    };
  }

  private static Route route(YamlEntry e, Map<String, ChannelSettings> channels) {
    e.onlyKeys("name", "councils", "kinds", "wards", "min_severity", "rules", "events", "channels");
    YamlEntry r = e.optionalString("name").map(e::named).orElse(e);
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
        r.label(),
        r.stringSet("councils"),
        kinds,
        r.stringSet("wards"),
        min,
        rules,
        events,
        List.copyOf(targets));
  }
}
