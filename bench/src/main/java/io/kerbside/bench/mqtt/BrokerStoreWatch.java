package io.kerbside.bench.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest message store the broker reported during a step: how far consumers fell behind
 * publishers. Mosquitto publishes {@code $SYS/broker/store/messages/count} and {@code .../bytes}
 * every {@code sys_interval} (10 s by default), so short peaks may be missed; other brokers may not
 * publish them at all, and then the peaks stay -1.
 */
public final class BrokerStoreWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerStoreWatch.class);
  private static final String COUNT = "$SYS/broker/store/messages/count";
  private static final String BYTES = "$SYS/broker/store/messages/bytes";

  private final AtomicLong peakMessages = new AtomicLong(-1);
  private final AtomicLong peakBytes = new AtomicLong(-1);
  private PahoSubscription subscription;

  private BrokerStoreWatch() {}

  /** Subscribes to the broker's store figures; returns a watch that never reports if it cannot. */
  public static BrokerStoreWatch start(String mqttUrl, String clientId) {
    BrokerStoreWatch watch = new BrokerStoreWatch();
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(true);
    try {
      watch.subscription =
          PahoSubscription.open(
              mqttUrl,
              clientId,
              options,
              Duration.ofSeconds(10),
              new String[] {COUNT, BYTES},
              new int[] {0, 0},
              watch::record,
              cause -> LOG.debug("broker - store watch disconnected: {}", String.valueOf(cause)));
    } catch (MqttException e) {
      LOG.warn("broker - cannot follow its message store: {}", e.toString());
    }
    return watch;
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

  private void record(String topic, MqttMessage message) {
    try {
      long v = Long.parseLong(new String(message.getPayload(), StandardCharsets.UTF_8).trim());
      (topic.equals(COUNT) ? peakMessages : peakBytes).accumulateAndGet(v, Math::max);
    } catch (NumberFormatException e) {
      LOG.debug("broker - unexpected value on {}", topic);
    }
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
  }
}
