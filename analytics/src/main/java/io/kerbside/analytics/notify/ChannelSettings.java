package io.kerbside.analytics.notify;

import io.kerbside.core.config.Secret;
import io.kerbside.core.tls.ClientTls;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One channel's settings from the routes file, validated. Secrets come from the environment
 * variable the file names and are masked in {@code toString()}.
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
