package io.kerbside.analytics.notify;

import io.kerbside.core.config.Plaintext;
import io.kerbside.core.config.SafeUrl;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.config.YamlEntry;
import io.kerbside.core.tls.ClientTls;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One channel's settings from the routes file, validated. Each type reads and validates its own
 * entry ({@code parse}), refusing keys it does not know; {@link RoutesConfig} only picks the type.
 * Secrets come from the environment variable the file names and are masked in {@code toString()}.
 */
public sealed interface ChannelSettings {
  String name();

  ChannelType type();

  /** The longest one delivery attempt can take, all its timeouts added up, in milliseconds. */
  int maxAttemptMs();

  /**
   * POST the notice as JSON, signed with HMAC-SHA256 of {@code timestamp + "." + body} under {@code
   * secret}.
   */
  record Webhook(String name, URI url, Secret secret, int connectTimeoutMs, int timeoutMs)
      implements ChannelSettings {
    static Webhook parse(String name, YamlEntry c, Settings settings) {
      c.onlyKeys("name", "type", "url", "secret_env", "connect_timeout_ms", "timeout_ms");
      return new Webhook(
          name,
          c.httpUri("url"),
          c.secret("secret_env", settings, true),
          c.intBetween("connect_timeout_ms", 5_000, 100, 60_000),
          c.intBetween("timeout_ms", 10_000, 100, 120_000));
    }

    @Override
    public ChannelType type() {
      return ChannelType.WEBHOOK;
    }

    @Override
    public int maxAttemptMs() {
      return connectTimeoutMs + timeoutMs;
    }
  }

  /**
   * Publish the notice as JSON, QoS 1, to {@code <topicPrefix>/<council>/<kind>/<rule>}; over
   * {@code ssl://} or {@code wss://} with the CA and client certificate of {@code tls}.
   */
  record Mqtt(
      String name,
      String url,
      String topicPrefix,
      String username,
      Secret password,
      String clientId,
      int timeoutMs,
      ClientTls tls)
      implements ChannelSettings {
    private static final Pattern URL = Pattern.compile("(tcp|ssl|ws|wss)://[^/\\s]+(:\\d+)?/?");

    static Mqtt parse(String name, YamlEntry c, Settings settings) {
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
      if (!URL.matcher(url).matches()) {
        throw c.error("url must look like tcp://host:1883 or ssl://host:8883, got '" + url + "'");
      }
      ClientTls tls = tls(c, url, settings);
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
              // unique per process: two instances with one client id would disconnect each other
              "kerbside-notify-" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
      if (clientId.length() > 64 || !clientId.matches("[A-Za-z0-9_.-]+")) {
        throw c.error("client_id must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
      }
      return new Mqtt(
          name,
          url,
          prefix,
          c.string("username", ""),
          c.secret("password_env", settings, false),
          clientId,
          c.intBetween("timeout_ms", 10_000, 100, 120_000),
          tls);
    }

    /**
     * The broker TLS files of the channel, checked against its URL: they need {@code ssl://} or
     * {@code wss://}, and production refuses an unencrypted URL to a broker on another machine.
     */
    private static ClientTls tls(YamlEntry c, String url, Settings settings) {
      ClientTls tls =
          ClientTls.of(
              optionalPath(c.string("ca_file", "")),
              optionalPath(c.string("client_cert", "")),
              optionalPath(c.string("client_key", "")),
              c.label() + ": ca_file",
              c.label() + ": client_cert",
              c.label() + ": client_key");
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

    private static Optional<java.nio.file.Path> optionalPath(String raw) {
      return raw.isEmpty() ? Optional.empty() : Optional.of(java.nio.file.Path.of(raw));
    }

    @Override
    public ChannelType type() {
      return ChannelType.MQTT;
    }

    @Override
    public int maxAttemptMs() {
      return 2 * timeoutMs;
    }
  }

  /** Send a plain-text and HTML e-mail through an SMTP server. */
  record Email(
      String name,
      String host,
      int port,
      boolean starttls,
      String username,
      Secret password,
      String from,
      List<String> to,
      int timeoutMs)
      implements ChannelSettings {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+");

    static Email parse(String name, YamlEntry c, Settings settings) {
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
      if (!ADDRESS.matcher(from).matches()) {
        throw c.error("from must be an e-mail address, got '" + from + "'");
      }
      List<String> to = new ArrayList<>(c.strings("to"));
      if (to.isEmpty()) {
        throw c.error("to must list at least one e-mail address");
      }
      for (String addr : to) {
        if (!ADDRESS.matcher(addr).matches()) {
          throw c.error("to must list e-mail addresses, got '" + addr + "'");
        }
      }
      boolean starttls = c.bool("starttls", true);
      return new Email(
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

    @Override
    public ChannelType type() {
      return ChannelType.EMAIL;
    }

    @Override
    public int maxAttemptMs() {
      return 3 * timeoutMs;
    }
  }

  /**
   * Raise a GeoReport v2 service request; {@code serviceCodes} maps a rule to the works system's
   * {@code service_code}, {@code defaultServiceCode} serves the rules it does not name.
   */
  record Open311(
      String name,
      URI endpoint,
      Secret apiKey,
      Optional<String> jurisdictionId,
      Map<String, String> serviceCodes,
      Optional<String> defaultServiceCode,
      int timeoutMs)
      implements ChannelSettings {
    static Open311 parse(String name, YamlEntry c, Settings settings) {
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
        if (!RoutesConfig.RULE.matcher(rule).matches()) {
          throw c.error("service_codes keys must be rule names, got '" + rule + "'");
        }
      }
      Optional<String> fallback = c.optionalString("default_service_code");
      if (codes.isEmpty() && fallback.isEmpty()) {
        throw c.error("service_codes or default_service_code must be given");
      }
      URI endpoint = c.httpUri("endpoint");
      return new Open311(
          name,
          endpoint,
          c.secret("api_key_env", settings, true),
          c.optionalString("jurisdiction_id"),
          Map.copyOf(codes),
          fallback,
          c.intBetween("timeout_ms", 10_000, 100, 120_000));
    }

    @Override
    public ChannelType type() {
      return ChannelType.OPEN311;
    }

    @Override
    public int maxAttemptMs() {
      return 2 * timeoutMs;
    }

    public Optional<String> serviceCodeFor(String rule) {
      String code = serviceCodes.get(rule);
      return code != null ? Optional.of(code) : defaultServiceCode;
    }
  }
}
