package io.kerbside.sim;

import io.kerbside.core.config.Secret;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the simulated devices reach the broker. Validated on construction; the password prints as
 * {@code <masked>}.
 *
 * @param brokerUrl {@code tcp://}, {@code ssl://}, {@code ws://} or {@code wss://} URL
 * @param username broker login, empty for none
 * @param password its password, {@link Secret#empty()} for none
 * @param qos 0 (at most once) or 1 (at least once)
 * @param connections shared connections or one per device
 * @param sharedConnections number of connections in {@link ConnectionMode#SHARED} mode, 1 to 64
 * @param maxRatePerSecond most messages published per second over all connections; 0 = unlimited
 * @param topicPrefix first topic levels; topics are {@code <prefix>/<kind>/<device-id>}
 * @param format payload format
 * @param clientIdPrefix MQTT client ids are {@code <prefix>-<n>} (shared) or {@code
 *     <prefix>-<device-id>} (per device)
 */
public record PublishOptions(
    String brokerUrl,
    String username,
    Secret password,
    int qos,
    ConnectionMode connections,
    int sharedConnections,
    double maxRatePerSecond,
    String topicPrefix,
    OutputFormat format,
    String clientIdPrefix) {
  private static final Pattern URL = Pattern.compile("(tcp|ssl|ws|wss)://\\S+");
  private static final Pattern CLIENT_ID_PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

  public PublishOptions {
    Objects.requireNonNull(brokerUrl, "brokerUrl");
    check(
        URL.matcher(brokerUrl).matches(),
        "broker URL must look like tcp://host:1883 or ssl://host:8883, got '" + brokerUrl + "'");
    username = username == null ? "" : username;
    password = password == null ? Secret.empty() : password;
    check(qos == 0 || qos == 1, "qos must be 0 or 1, got " + qos);
    Objects.requireNonNull(connections, "connections");
    check(
        sharedConnections >= 1 && sharedConnections <= 64,
        "shared connections must be between 1 and 64, got " + sharedConnections);
    check(
        maxRatePerSecond >= 0 && !Double.isInfinite(maxRatePerSecond),
        "rate must be 0 (unlimited) or more messages per second, got " + maxRatePerSecond);
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    check(
        !topicPrefix.isEmpty()
            && !topicPrefix.startsWith("/")
            && !topicPrefix.endsWith("/")
            && topicPrefix.indexOf('+') < 0
            && topicPrefix.indexOf('#') < 0,
        "topic prefix must be topic levels without wildcards or a leading or trailing '/', got '"
            + topicPrefix
            + "'");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(clientIdPrefix, "clientIdPrefix");
    check(
        CLIENT_ID_PREFIX.matcher(clientIdPrefix).matches(),
        "client id prefix must be 1 to 40 characters of A-Z a-z 0-9 _ . -, got '"
            + clientIdPrefix
            + "'");
  }

  /** Local broker, no login, QoS 1, four shared connections, unlimited rate, native format. */
  public static PublishOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.brokerUrl = brokerUrl;
    b.username = username;
    b.password = password;
    b.qos = qos;
    b.connections = connections;
    b.sharedConnections = sharedConnections;
    b.maxRatePerSecond = maxRatePerSecond;
    b.topicPrefix = topicPrefix;
    b.format = format;
    b.clientIdPrefix = clientIdPrefix;
    return b;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Builds {@link PublishOptions}; every setter has the default named in its description. */
  public static final class Builder {
    private String brokerUrl = "tcp://127.0.0.1:1883";
    private String username = "";
    private Secret password = Secret.empty();
    private int qos = 1;
    private ConnectionMode connections = ConnectionMode.SHARED;
    private int sharedConnections = 4;
    private double maxRatePerSecond = 0;
    private String topicPrefix = "kerbside";
    private OutputFormat format = OutputFormat.NATIVE;
    private String clientIdPrefix = "kerbside-sim-" + ProcessHandle.current().pid();

    private Builder() {}

    /** Default {@code tcp://127.0.0.1:1883}. */
    public Builder brokerUrl(String brokerUrl) {
      this.brokerUrl = brokerUrl;
      return this;
    }

    /** Default none. */
    public Builder credentials(String username, Secret password) {
      this.username = username;
      this.password = password;
      return this;
    }

    /** Default 1. */
    public Builder qos(int qos) {
      this.qos = qos;
      return this;
    }

    /** Default shared. */
    public Builder connections(ConnectionMode connections) {
      this.connections = connections;
      return this;
    }

    /** Default 4. */
    public Builder sharedConnections(int sharedConnections) {
      this.sharedConnections = sharedConnections;
      return this;
    }

    /** Default 0, unlimited. */
    public Builder maxRatePerSecond(double maxRatePerSecond) {
      this.maxRatePerSecond = maxRatePerSecond;
      return this;
    }

    /** Default {@code kerbside}. */
    public Builder topicPrefix(String topicPrefix) {
      this.topicPrefix = topicPrefix;
      return this;
    }

    /** Default native. */
    public Builder format(OutputFormat format) {
      this.format = format;
      return this;
    }

    /** Default {@code kerbside-sim-<pid>}. */
    public Builder clientIdPrefix(String clientIdPrefix) {
      this.clientIdPrefix = clientIdPrefix;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public PublishOptions build() {
      return new PublishOptions(
          brokerUrl,
          username,
          password,
          qos,
          connections,
          sharedConnections,
          maxRatePerSecond,
          topicPrefix,
          format,
          clientIdPrefix);
    }
  }
}
