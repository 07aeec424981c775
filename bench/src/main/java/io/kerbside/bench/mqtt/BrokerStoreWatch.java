package io.kerbside.bench.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
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
 * The largest message store the broker reported during a step: how far consumers fell behind
 * publishers. Mosquitto publishes {@code $SYS/broker/store/messages/count} and {@code .../bytes}
 * every {@code sys_interval} (10 s by default), so short peaks may be missed; other brokers may not
 * publish them at all, and then the peaks stay -1.
 */
public final class BrokerStoreWatch implements MqttCallback, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerStoreWatch.class);
  private static final String COUNT = "$SYS/broker/store/messages/count";
  private static final String BYTES = "$SYS/broker/store/messages/bytes";

  private final MqttAsyncClient client;
  private final AtomicLong peakMessages = new AtomicLong(-1);
  private final AtomicLong peakBytes = new AtomicLong(-1);

  private BrokerStoreWatch(MqttAsyncClient client) {
    this.client = client;
  }

  /** Subscribes to the broker's store figures; returns a watch that never reports if it cannot. */
  public static BrokerStoreWatch start(String mqttUrl, String clientId) {
    MqttAsyncClient client = null;
    try {
      client = new MqttAsyncClient(mqttUrl, clientId, new MemoryPersistence());
      BrokerStoreWatch watch = new BrokerStoreWatch(client);
      client.setCallback(watch);
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      options.setAutomaticReconnect(true);
      client.connect(options).waitForCompletion(10_000);
      client.subscribe(new String[] {COUNT, BYTES}, new int[] {0, 0}).waitForCompletion(10_000);
      return watch;
    } catch (MqttException e) {
      LOG.warn("broker - cannot follow its message store: {}", e.toString());
      return new BrokerStoreWatch(client);
    }
  }

  /** Forgets the peaks so far: the next step starts from the broker's next report. */
  public void reset() {
    peakMessages.set(-1);
    peakBytes.set(-1);
  }

  /** Largest message count reported since the last {@link #reset()}; -1 when none was. */
  public long peakMessages() {
    return peakMessages.get();
  }

  /** Largest store size in bytes reported since the last {@link #reset()}; -1 when none was. */
  public long peakBytes() {
    return peakBytes.get();
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    try {
      long v = Long.parseLong(new String(message.getPayload(), StandardCharsets.UTF_8).trim());
      (topic.equals(COUNT) ? peakMessages : peakBytes).accumulateAndGet(v, Math::max);
    } catch (NumberFormatException e) {
      LOG.debug("broker - unexpected value on {}", topic);
    }
  }

  @Override
  public void connectionLost(Throwable cause) {
    LOG.debug("broker - store watch disconnected: {}", String.valueOf(cause));
  }

  @Override
  public void deliveryComplete(IMqttDeliveryToken token) {
    // Subscribe-only client.
  }

  @Override
  public void close() {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnect(1_000).waitForCompletion(5_000);
      }
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("broker - closing the store watch: {}", e.getMessage());
    }
  }
}
