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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
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
 * <p>The connection counts as up ({@link #connected}) only once the broker has confirmed every
 * subscription (SUBACK): until then a reading published to the configured topics may have no
 * subscriber. A subscription the broker refuses (a granted QoS of 0x80: its ACL does not let this
 * user read the topics) is not retried: it fails {@link #subscribed} at start, or is reported to
 * {@link #onRefusal}'s listener later.
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
  private final AtomicBoolean subscribing = new AtomicBoolean();
  private final CompletableFuture<Void> firstSubscription = new CompletableFuture<>();
  private IngestPipeline pipeline;
  private volatile Consumer<MqttException> refusalListener = e -> {};
  private volatile boolean connected;
  private volatile boolean refused;
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

  /** Connected, and every subscription confirmed by the broker since the connection came up. */
  public boolean connected() {
    return connected;
  }

  /**
   * Completes once the broker has confirmed the subscriptions for the first time; fails with an
   * {@link MqttException} whose cause says which filters the broker refused.
   */
  public CompletionStage<Void> subscribed() {
    return firstSubscription;
  }

  /** Told when the broker refuses the subscriptions after {@link #subscribed} has completed. */
  public void onRefusal(Consumer<MqttException> listener) {
    this.refusalListener = listener;
  }

  /**
   * Subscribes again when the connection is up but its subscription failed (not refused) and none
   * is under way: Paho re-subscribes on every reconnect, this covers a SUBSCRIBE that failed while
   * the connection stayed up. Does not block.
   */
  public void resubscribeIfDue() {
    if (!connected && !refused && !draining && client.isConnected()) {
      subscribe();
    }
  }

  @Override
  public void connectComplete(boolean reconnect, String serverURI) {
    LOG.info("{} - connected to {}{}", clientId, serverURI, reconnect ? " (reconnect)" : "");
    subscribe();
  }

  private void subscribe() {
    if (!subscribing.compareAndSet(false, true)) {
      return;
    }
    String[] filters = new String[subscriptions.size()];
    int[] qos = new int[subscriptions.size()];
    for (int i = 0; i < filters.length; i++) {
      filters[i] = config.brokerFilter(subscriptions.get(i));
      qos[i] = 1;
    }
    try {
      client.subscribe(
          filters,
          qos,
          null,
          new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              confirmed(filters, token.getGrantedQos());
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              if (e instanceof MqttException m
                  && m.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
                confirmed(filters, token.getGrantedQos());
                return;
              }
              subscribing.set(false);
              LOG.warn(
                  "{} - subscribing to {} failed ({}); trying again",
                  clientId,
                  List.of(filters),
                  e == null ? "no reason given" : e.getMessage());
            }
          });
    } catch (MqttException | RuntimeException e) {
      subscribing.set(false);
      LOG.warn(
          "{} - subscribing to {} failed ({}); trying again",
          clientId,
          List.of(filters),
          e.getMessage());
    }
  }

  /** The broker's SUBACK: a granted QoS above 2 (0x80) is a refusal. */
  private void confirmed(String[] filters, int[] granted) {
    List<String> refusedFilters = new ArrayList<>();
    for (int i = 0; i < filters.length; i++) {
      if (granted == null || i >= granted.length || granted[i] < 0 || granted[i] > 2) {
        refusedFilters.add(filters[i]);
      }
    }
    if (!refusedFilters.isEmpty()) {
      refused = true;
      subscribing.set(false);
      MqttException e =
          new MqttException(
              MqttException.REASON_CODE_SUBSCRIBE_FAILED,
              new IllegalStateException(
                  "the broker at "
                      + SafeUrl.of(config.mqttUrl())
                      + " refused the subscription to "
                      + refusedFilters
                      + " of "
                      + (config.mqttUsername().isEmpty()
                          ? "an anonymous client"
                          : "user " + config.mqttUsername())
                      + "; let that user read these topics (the broker's ACL) or change "
                      + IngestConfig.SUBSCRIPTIONS));
      LOG.error("{} - {}", clientId, e.getCause().getMessage());
      if (!firstSubscription.completeExceptionally(e)) {
        refusalListener.accept(e);
      }
      return;
    }
    connected = true;
    subscribing.set(false);
    LOG.info("{} - subscribed to {}", clientId, List.of(filters));
    firstSubscription.complete(null);
  }

  @Override
  public void connectionLost(Throwable cause) {
    connected = false;
    subscribing.set(false);
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
