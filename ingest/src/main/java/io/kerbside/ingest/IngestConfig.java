package io.kerbside.ingest;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Environment;
import io.kerbside.core.config.Plaintext;
import io.kerbside.core.config.SafeUrl;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.tls.ClientTls;
import io.kerbside.ingest.decode.DecodeLimits;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.mqtt.Subscription;
import io.kerbside.ingest.mqtt.TopicFilters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ingest role's settings, loaded once and validated at start-up; every setting is documented in
 * docs/configuration.md.
 */
public record IngestConfig(
    String mqttUrl,
    String mqttUsername,
    Secret mqttPassword,
    String mqttClientId,
    int mqttKeepAliveSeconds,
    ClientTls mqttTls,
    List<Subscription> subscriptions,
    String shareGroup,
    int connections,
    int batchSize,
    int batchMaxDelayMs,
    int maxInFlight,
    long maxInFlightBytes,
    int maxPayloadBytes,
    int maxJsonDepth,
    int maxFutureSeconds,
    int retentionDays,
    boolean autoRegister,
    int lastSeenIntervalSeconds,
    int writeRetryMaxDelayMs,
    int stallSeconds,
    String profilesDir) {

  public static final String MQTT_URL = "KERBSIDE_MQTT_URL";
  public static final String MQTT_USERNAME = "KERBSIDE_MQTT_USERNAME";
  public static final String MQTT_PASSWORD = "KERBSIDE_MQTT_PASSWORD";
  public static final String MQTT_CLIENT_ID = "KERBSIDE_MQTT_CLIENT_ID";
  public static final String MQTT_KEEPALIVE = "KERBSIDE_MQTT_KEEPALIVE_S";
  public static final String MQTT_CA_FILE = "KERBSIDE_MQTT_CA_FILE";
  public static final String MQTT_CLIENT_CERT = "KERBSIDE_MQTT_CLIENT_CERT";
  public static final String MQTT_CLIENT_KEY = "KERBSIDE_MQTT_CLIENT_KEY";
  public static final String SUBSCRIPTIONS = "KERBSIDE_INGEST_SUBSCRIPTIONS";
  public static final String SHARE_GROUP = "KERBSIDE_INGEST_SHARE_GROUP";
  public static final String CONNECTIONS = "KERBSIDE_INGEST_CONNECTIONS";
  public static final String BATCH_SIZE = "KERBSIDE_INGEST_BATCH_SIZE";
  public static final String BATCH_MAX_DELAY = "KERBSIDE_INGEST_BATCH_MAX_DELAY_MS";
  public static final String MAX_IN_FLIGHT = "KERBSIDE_INGEST_MAX_IN_FLIGHT";
  public static final String MAX_IN_FLIGHT_BYTES = "KERBSIDE_INGEST_MAX_IN_FLIGHT_BYTES";
  public static final String MAX_PAYLOAD = "KERBSIDE_INGEST_MAX_PAYLOAD_BYTES";
  public static final String MAX_JSON_DEPTH = "KERBSIDE_INGEST_MAX_JSON_DEPTH";
  public static final String MAX_FUTURE = "KERBSIDE_INGEST_MAX_FUTURE_S";
  public static final String AUTO_REGISTER = "KERBSIDE_INGEST_AUTO_REGISTER";
  public static final String LAST_SEEN_INTERVAL = "KERBSIDE_INGEST_LAST_SEEN_INTERVAL_S";
  public static final String RETRY_MAX_DELAY = "KERBSIDE_INGEST_RETRY_MAX_DELAY_MS";
  public static final String PROFILES_DIR = "KERBSIDE_INGEST_PROFILES_DIR";
  public static final String STALL = "KERBSIDE_INGEST_STALL_S";

  public static IngestConfig from(Settings s) {
    Environment env = Environment.from(s);
    String url = s.string(MQTT_URL, "tcp://127.0.0.1:1883");
    if (!url.matches("(tcp|ssl|ws|wss)://[^/\\s]+(:\\d+)?/?")) {
      throw new ConfigException(
          MQTT_URL + " must look like tcp://host:1883 or ssl://host:8883, got '" + url + "'");
    }
    ClientTls tls = mqttTls(s, url);
    String username = s.string(MQTT_USERNAME, "");
    Secret password = s.secret(MQTT_PASSWORD);
    if (env == Environment.PRODUCTION && (username.isEmpty() || password.isEmpty())) {
      throw new ConfigException(
          MQTT_USERNAME + " and " + MQTT_PASSWORD + " must be set when KERBSIDE_ENV=production");
    }
    String clientId = s.string(MQTT_CLIENT_ID, "kerbside-ingest");
    if (clientId.length() > 64 || !clientId.matches("[A-Za-z0-9_.-]+")) {
      throw new ConfigException(
          MQTT_CLIENT_ID
              + " must be 1 to 64 characters of A-Z a-z 0-9 _ . -, got '"
              + clientId
              + "'");
    }
    String share = s.string(SHARE_GROUP, "");
    if (!share.isEmpty() && !share.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new ConfigException(SHARE_GROUP + " must be a plain name, got '" + share + "'");
    }
    return new IngestConfig(
        url,
        username,
        password,
        clientId,
        s.intBetween(MQTT_KEEPALIVE, 30, 5, 3600),
        tls,
        parseSubscriptions(s.string(SUBSCRIPTIONS, "kerbside/+/+=native@default")),
        share,
        s.intBetween(CONNECTIONS, 1, 1, 16),
        s.intBetween(BATCH_SIZE, 5000, 1, 50_000),
        s.intBetween(BATCH_MAX_DELAY, 50, 0, 10_000),
        s.intBetween(MAX_IN_FLIGHT, 20_000, 1, 1_000_000),
        s.longBetween(MAX_IN_FLIGHT_BYTES, 64L << 20, 1L << 20, 8L << 30),
        s.intBetween(MAX_PAYLOAD, 64 * 1024, 256, 16 << 20),
        s.intBetween(MAX_JSON_DEPTH, 16, 2, 1000),
        s.intBetween(MAX_FUTURE, 300, 0, 86_400),
        s.intBetween(DatabaseConfig.RETENTION_DAYS, 395, 1, 36_500),
        s.bool(AUTO_REGISTER, env == Environment.DEVELOPMENT),
        s.intBetween(LAST_SEEN_INTERVAL, 30, 0, 86_400),
        s.intBetween(RETRY_MAX_DELAY, 10_000, 100, 600_000),
        s.intBetween(STALL, 15, 1, 3600),
        profilesDir(s.string(PROFILES_DIR, "")));
  }

  /**
   * The broker TLS settings, checked against the URL: they need {@code ssl://} or {@code wss://},
   * and production refuses an unencrypted URL to a broker on another machine.
   */
  private static ClientTls mqttTls(Settings s, String url) {
    boolean encrypted = url.startsWith("ssl://") || url.startsWith("wss://");
    ClientTls tls = ClientTls.from(s, MQTT_CA_FILE, MQTT_CLIENT_CERT, MQTT_CLIENT_KEY);
    if (!encrypted && !tls.isDefault()) {
      throw new ConfigException(
          MQTT_CA_FILE
              + ", "
              + MQTT_CLIENT_CERT
              + " and "
              + MQTT_CLIENT_KEY
              + " need an ssl:// or wss:// "
              + MQTT_URL
              + ", got '"
              + SafeUrl.of(url)
              + "'");
    }
    String host = Plaintext.hostOf(url);
    if (!encrypted && Plaintext.refused(s, host)) {
      throw new ConfigException(
          MQTT_URL
              + " must be ssl:// (or wss://) for the broker host '"
              + host
              + "' when KERBSIDE_ENV=production, got '"
              + SafeUrl.of(url)
              + "'; set "
              + Plaintext.ALLOW_PLAINTEXT
              + "=true to allow it unencrypted");
    }
    return tls;
  }

  private static String profilesDir(String dir) {
    if (!dir.isEmpty() && !Files.isDirectory(Path.of(dir))) {
      throw new ConfigException(PROFILES_DIR + " must be a directory, got '" + dir + "'");
    }
    return dir;
  }

  /** The directory of extra device profiles, when {@value #PROFILES_DIR} is set. */
  public Optional<Path> deviceProfilesDir() {
    return profilesDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(profilesDir));
  }

  /**
   * Parses {@code filter=format@council[,filter=format@council...]}, e.g. {@code
   * kerbside/+/+=native@default}.
   *
   * @throws ConfigException naming {@value #SUBSCRIPTIONS} for a malformed entry, an entry given
   *     twice, or two filters that can match one topic under different councils or formats
   */
  static List<Subscription> parseSubscriptions(String raw) {
    List<Subscription> subs = new ArrayList<>();
    for (String entry : raw.split(",")) {
      String e = entry.trim();
      int eq = e.lastIndexOf('=');
      int at = e.lastIndexOf('@');
      if (eq <= 0 || at < eq) {
        throw new ConfigException(
            SUBSCRIPTIONS + " entries must look like topic/filter=format@council, got '" + e + "'");
      }
      String filter = e.substring(0, eq);
      String format = e.substring(eq + 1, at).toUpperCase(Locale.ROOT);
      String council = e.substring(at + 1);
      if (filter.startsWith("$share/")) {
        throw new ConfigException(
            SUBSCRIPTIONS
                + " filter '"
                + filter
                + "' is invalid (use "
                + SHARE_GROUP
                + " for shared subscriptions)");
      }
      if (!TopicFilters.isValid(filter)) {
        throw new ConfigException(
            SUBSCRIPTIONS
                + " filter '"
                + filter
                + "' is invalid: + and # must each be a whole level, # only the last");
      }
      PayloadFormat pf;
      try {
        pf = PayloadFormat.valueOf(format);
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(
            SUBSCRIPTIONS
                + " format '"
                + format.toLowerCase(Locale.ROOT)
                + "' is unknown in '"
                + e
                + "'");
      }
      if (!council.matches("[a-z0-9][a-z0-9-]{0,62}")) {
        throw new ConfigException(
            SUBSCRIPTIONS + " council '" + council + "' is invalid in '" + e + "'");
      }
      subs.add(new Subscription(filter, pf, council));
    }
    refuseOverlaps(subs);
    return List.copyOf(subs);
  }

  /**
   * A topic that two filters can both match would have two councils or two formats; the broker
   * delivers it once, so one of them would silently get the other's messages.
   */
  private static void refuseOverlaps(List<Subscription> subs) {
    for (int i = 0; i < subs.size(); i++) {
      for (int j = i + 1; j < subs.size(); j++) {
        Subscription a = subs.get(i);
        Subscription b = subs.get(j);
        if (a.equals(b)) {
          throw new ConfigException(SUBSCRIPTIONS + " lists '" + entry(a) + "' twice");
        }
        if ((a.format() != b.format() || !a.councilSlug().equals(b.councilSlug()))
            && TopicFilters.canMatchSameTopic(a.topicFilter(), b.topicFilter())) {
          throw new ConfigException(
              SUBSCRIPTIONS
                  + " filters '"
                  + a.topicFilter()
                  + "' and '"
                  + b.topicFilter()
                  + "' overlap: a topic matching both would belong to both '"
                  + entry(a)
                  + "' and '"
                  + entry(b)
                  + "'; make the filters disjoint, e.g. with a topic prefix per council");
        }
      }
    }
  }

  private static String entry(Subscription s) {
    return s.topicFilter() + "=" + s.format().code() + "@" + s.councilSlug();
  }

  public DecodeLimits decodeLimits() {
    return new DecodeLimits(
        maxPayloadBytes,
        maxJsonDepth,
        Duration.ofSeconds(maxFutureSeconds),
        Duration.ofDays(retentionDays));
  }

  /**
   * The share group subscribed with: the configured one, or, with several connections and none
   * configured, the client id (so the connections split one stream); empty for none.
   */
  public String effectiveShareGroup() {
    return shareGroup.isEmpty() && connections > 1 ? mqttClientId : shareGroup;
  }

  /** The filter actually subscribed: with {@code $share/<group>/} when a share group applies. */
  public String brokerFilter(Subscription s) {
    String group = effectiveShareGroup();
    return group.isEmpty() ? s.topicFilter() : "$share/" + group + "/" + s.topicFilter();
  }

  /**
   * The client id of connection {@code n} (1-based): {@link #mqttClientId()} itself with one
   * connection, {@code <id>-<n>} with several. Stable across restarts, so each connection finds its
   * persistent session again.
   */
  public String clientId(int n) {
    if (n < 1 || n > connections) {
      throw new IllegalArgumentException("connection " + n + " of " + connections);
    }
    return connections == 1 ? mqttClientId : mqttClientId + "-" + n;
  }
}
