package io.kerbside.bench.reference;

import java.time.Duration;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference (a): a Paho subscriber that only counts what it receives (QoS 1, automatic
 * acknowledgements, clean session). What it reaches is the ceiling the broker and the MQTT client
 * impose on any consumer on this machine.
 */
public final class CountingSubscriber implements MqttCallback, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CountingSubscriber.class);

  private final MqttAsyncClient client;
  private final ArrivalCounter received = new ArrivalCounter();

  private CountingSubscriber(MqttAsyncClient client) {
    this.client = client;
  }

  /** Connects and subscribes; returns once the broker has confirmed the subscription. */
  public static CountingSubscriber start(String mqttUrl, String clientId, String topicFilter)
      throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient(mqttUrl, clientId, new MemoryPersistence());
    CountingSubscriber subscriber = new CountingSubscriber(client);
    client.setCallback(subscriber);
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setKeepAliveInterval(30);
    try {
      client.connect(options).waitForCompletion(15_000);
      client.subscribe(topicFilter, 1).waitForCompletion(15_000);
    } catch (MqttException e) {
      subscriber.close();
      throw e;
    }
    return subscriber;
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    received.record();
  }

  /** Messages received so far. */
  public long received() {
    return received.count();
  }

  /** {@link System#nanoTime()} of the latest message. */
  public long lastArrivalNanos() {
    return received.lastNanos();
  }

  /**
   * Waits until {@code expected} messages arrived or none came for {@code stall}.
   *
   * @return true when all arrived
   */
  public boolean await(long expected, Duration stall) throws InterruptedException {
    return received.await(expected, stall);
  }

  @Override
  public void connectionLost(Throwable cause) {
    LOG.warn("counting subscriber - connection lost: {}", String.valueOf(cause));
  }

  @Override
  public void deliveryComplete(IMqttDeliveryToken token) {
    // Subscribe-only client.
  }

  @Override
  public void close() {
    MqttClients.closeQuietly(client);
  }
}
