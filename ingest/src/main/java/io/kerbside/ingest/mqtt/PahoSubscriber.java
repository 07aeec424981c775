package io.kerbside.ingest.mqtt;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.SafeUrl;
import io.kerbside.core.net.BufferedSocketFactory;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.ingest.IngestMetrics;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.MessageDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.pipeline.Acknowledger;
import io.kerbside.ingest.pipeline.InFlightMessage;
import io.kerbside.ingest.pipeline.IngestPipeline;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the configured subscriptions with Eclipse Paho: persistent session (clean session off,
 * stable client id), QoS 1, automatic reconnect with backoff and re-subscription, and manual
 * acknowledgements sent only after the pipeline has committed a message.
 *
 * <p>{@link #messageArrived} runs on Paho's callback thread: it decodes (CPU only) and hands the
 * message to the pipeline, waiting there when the in-flight limit is reached. It never touches the
 * database and never throws.
 */
public final class PahoSubscriber implements MqttCallbackExtended, Acknowledger, AutoCloseable {
  /**
   * Paho retries a lost connection after 1 s, then twice as long each time up to this. Kept short:
   * a broker that forgets shared subscriptions over its restart (Mosquitto 2.0) drops what is
   * published to a share group until a member is back, so every second offline can cost readings
   * (docs/reliability.md).
   */
  private static final int MAX_RECONNECT_DELAY_MS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(PahoSubscriber.class);

  private final IngestConfig config;
  private final String clientId;
  private final List<Subscription> subscriptions;
  private final TopicRouter router;
  private final Clock clock;
  private final MqttAsyncClient client;
  private final AtomicLong epoch = new AtomicLong();
  private IngestPipeline pipeline;
  private volatile boolean connected;
  private volatile boolean draining;

  /**
   * @param clientId this connection's client id ({@link IngestConfig#clientId})
   */
  public PahoSubscriber(
      IngestConfig config,
      String clientId,
      Map<String, CouncilRef> councils,
      Map<PayloadFormat, MessageDecoder> decoders,
      IngestMetrics metrics,
      Clock clock)
      throws MqttException {
    this.config = config;
    this.clientId = clientId;
    this.subscriptions = config.subscriptions();
    this.router = new TopicRouter(subscriptions, councils, decoders, metrics);
    this.clock = clock;
    this.client = new MqttAsyncClient(config.mqttUrl(), clientId, new MemoryPersistence());
    client.setManualAcks(true);
    client.setCallback(this);
  }

  /** The pipeline that arriving messages go to; set before {@link #connect}. */
  public void attach(IngestPipeline target) {
    this.pipeline = target;
  }

  /**
   * One attempt to connect, blocking for up to 15 s; once connected, Paho reconnects on its own and
   * re-subscribes in {@link #connectComplete}. Call on a worker thread.
   *
   * @throws MqttException when the broker cannot be reached (worth retrying) or refused the
   *     credentials or the TLS handshake failed ({@link #cannotRetry}; the cause says which)
   */
  public void connect() throws MqttException {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(false);
    options.setAutomaticReconnect(true);
    options.setMaxReconnectDelay(MAX_RECONNECT_DELAY_MS);
    options.setKeepAliveInterval(config.mqttKeepAliveSeconds());
    options.setConnectionTimeout(10);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    // Paho checks the broker's name against its certificate only when asked to.
    options.setHttpsHostnameVerificationEnabled(true);
    if (!config.mqttTls().isDefault()) {
      options.setSocketFactory(config.mqttTls().socketFactory());
    } else if (BufferedSocketFactory.suits(config.mqttUrl())) {
      options.setSocketFactory(new BufferedSocketFactory());
    }
    if (!config.mqttUsername().isEmpty()) {
      options.setUserName(config.mqttUsername());
    }
    if (!config.mqttPassword().isEmpty()) {
      options.setPassword(config.mqttPassword().reveal().toCharArray());
    }
    try {
      client.connect(options).waitForCompletion(15_000);
    } catch (MqttException e) {
      if (refusedCredentials(e)) {
        throw new MqttException(
            e.getReasonCode(),
            new IllegalStateException(
                "the broker at "
                    + SafeUrl.of(config.mqttUrl())
                    + " refused the credentials of "
                    + (config.mqttUsername().isEmpty()
                        ? "an anonymous client"
                        : "user " + config.mqttUsername())));
      }
      Throwable tls = tlsFailure(e);
      if (tls != null) {
        throw new MqttException(
            e.getReasonCode(),
            new IllegalStateException(
                "the TLS handshake with the broker at "
                    + SafeUrl.of(config.mqttUrl())
                    + " failed ("
                    + tls.getMessage()
                    + "); check that "
                    + IngestConfig.MQTT_CA_FILE
                    + " holds the CA that signed the broker's certificate, that the certificate"
                    + " names the host of "
                    + IngestConfig.MQTT_URL
                    + (config.mqttTls().hasClientCertificate()
                        ? ", and that the broker accepts " + IngestConfig.MQTT_CLIENT_CERT
                        : ", and whether the broker requires a client certificate ("
                            + IngestConfig.MQTT_CLIENT_CERT
                            + ")"),
                tls));
      }
      throw e;
    }
  }

  /** True when retrying cannot help: the broker refused who we are. */
  public static boolean refusedCredentials(MqttException e) {
    int code = e.getReasonCode();
    return code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
        || code == MqttException.REASON_CODE_NOT_AUTHORIZED;
  }

  /**
   * True when retrying cannot help: the broker refused who we are, or the TLS handshake failed (an
   * untrusted or misnamed certificate does not fix itself).
   */
  public static boolean cannotRetry(MqttException e) {
    return refusedCredentials(e) || tlsFailure(e) != null;
  }

  /** The TLS handshake failure among the causes of {@code e}, or null. */
  private static Throwable tlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SSLHandshakeException
          || t instanceof SSLPeerUnverifiedException
          || t instanceof CertificateException) {
        return t;
      }
    }
    return null;
  }

  /** This connection's client id. */
  public String clientId() {
    return clientId;
  }

  /**
   * Unsubscribes filters that this client id subscribed to in an earlier run and no longer has
   * configured: the broker keeps them in the persistent session and would go on delivering their
   * topics. Call after {@link #start}; blocks until the broker confirms, for up to 15 s.
   *
   * @param staleFilters filters as subscribed at the broker ({@link IngestConfig#brokerFilter})
   * @return the filters unsubscribed: all of {@code staleFilters}, or none when the broker did not
   *     confirm (they are tried again at the next start)
   */
  public Set<String> unsubscribe(Set<String> staleFilters) {
    if (staleFilters.isEmpty()) {
      return Set.of();
    }
    try {
      client.unsubscribe(staleFilters.toArray(new String[0])).waitForCompletion(15_000);
    } catch (MqttException e) {
      LOG.warn(
          "{} - unsubscribing {} failed ({}); trying again at the next start",
          clientId,
          staleFilters,
          e.getMessage());
      return Set.of();
    }
    LOG.info(
        "{} - unsubscribed {}: no longer in {}",
        clientId,
        staleFilters,
        IngestConfig.SUBSCRIPTIONS);
    return Set.copyOf(staleFilters);
  }

  public boolean connected() {
    return connected;
  }

  @Override
  public void connectComplete(boolean reconnect, String serverURI) {
    LOG.info("{} - connected to {}{}", clientId, serverURI, reconnect ? " (reconnect)" : "");
    try {
      String[] filters = new String[subscriptions.size()];
      int[] qos = new int[subscriptions.size()];
      for (int i = 0; i < filters.length; i++) {
        filters[i] = config.brokerFilter(subscriptions.get(i));
        qos[i] = 1;
      }
      client.subscribe(filters, qos, null, null);
      connected = true;
    } catch (MqttException e) {
      LOG.error("{} - subscribing failed; will retry on the next reconnect", clientId, e);
    }
  }

  @Override
  public void connectionLost(Throwable cause) {
    connected = false;
    epoch.incrementAndGet();
    LOG.warn(
        "{} - connection to {} lost: {}",
        clientId,
        SafeUrl.of(config.mqttUrl()),
        cause == null ? "unknown cause" : cause.getMessage());
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    if (draining) {
      return; // not acknowledged: the broker redelivers it to the next consumer
    }
    long arrivedEpoch = epoch.get();
    try {
      DecodedMessage decoded = router.decode(topic, message.getPayload(), clock.instant());
      pipeline.offer(new InFlightMessage(decoded, message.getId(), message.getQos(), arrivedEpoch));
    } catch (InterruptedException e) {
      // Paho is shutting the connection down; the unacknowledged message is redelivered.
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error(
          "{} - could not process a message on {}; it stays unacknowledged", clientId, topic, e);
    }
  }

  @Override
  public void ack(int messageId, int qos, long connectionEpoch) {
    if (qos == 0 || connectionEpoch != epoch.get()) {
      return;
    }
    try {
      client.messageArrivedComplete(messageId, qos);
    } catch (MqttException | RuntimeException e) {
      LOG.debug(
          "{} - ack of {} not sent ({}); the broker will redeliver",
          clientId,
          messageId,
          e.getMessage());
    }
  }

  @Override
  public void deliveryComplete(IMqttDeliveryToken token) {
    // This client only subscribes.
  }

  /** Stops taking new messages; what is queued can still be committed and acknowledged. */
  public void stopConsuming() {
    draining = true;
  }

  @Override
  public void close() {
    draining = true;
    try {
      if (client.isConnected()) {
        client.disconnect(2_000).waitForCompletion(5_000);
      }
    } catch (MqttException e) {
      LOG.debug("{} - disconnect: {}", clientId, e.getMessage());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("{} - close: {}", clientId, e.getMessage());
    }
  }
}
