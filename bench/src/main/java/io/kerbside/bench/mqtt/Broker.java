package io.kerbside.bench.mqtt;

import io.kerbside.bench.BenchmarkException;
import io.kerbside.sim.publish.PahoConnections;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * Short-lived broker connections around a run: what the broker reports about itself, one-off
 * publishes, and clean-up of a persistent session.
 */
public final class Broker {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
  private static final String VERSION = "$SYS/broker/version";
  private static final String DISCONNECTED = "$SYS/broker/clients/disconnected";

  private Broker() {}

  /**
   * What the broker reports in its retained {@code $SYS} topics (Mosquitto does; other brokers may
   * not).
   *
   * @param version e.g. {@code mosquitto version 2.0.11}, or {@code unknown}
   * @param disconnectedSessions persistent sessions whose client is away, -1 when unknown
   */
  public record Status(String version, long disconnectedSessions) {}

  /**
   * Connects and reads the broker's {@code $SYS} topics, waiting at most two seconds for them.
   *
   * @throws BenchmarkException when the broker cannot be reached
   */
  public static Status status(String mqttUrl, String clientId) throws InterruptedException {
    Map<String, String> values = new ConcurrentHashMap<>();
    CountDownLatch both = new CountDownLatch(2);
    MqttAsyncClient client = connect(mqttUrl, clientId);
    try {
      client.setCallback(
          new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
              String text = new String(message.getPayload(), StandardCharsets.UTF_8);
              if (values.putIfAbsent(topic, text) == null) {
                both.countDown();
              }
            }

            @Override
            public void connectionLost(Throwable cause) {
              // A failed status read only leaves the values unknown.
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
              // Subscribe-only client.
            }
          });
      client.subscribe(new String[] {VERSION, DISCONNECTED}, new int[] {0, 0});
      both.await(2, TimeUnit.SECONDS);
    } catch (MqttException e) {
      LOG.warn("broker - cannot read $SYS topics: {}", e.toString());
    } finally {
      PahoConnections.closeQuietly(client);
    }
    long disconnected = -1;
    try {
      disconnected = Long.parseLong(values.getOrDefault(DISCONNECTED, "-1").trim());
    } catch (NumberFormatException e) {
      LOG.debug("broker - unexpected {}: {}", DISCONNECTED, values.get(DISCONNECTED));
    }
    return new Status(values.getOrDefault(VERSION, "unknown"), disconnected);
  }

  /** Publishes one message with QoS 1 and waits for the broker's acknowledgement. */
  public static void publishOne(String mqttUrl, String clientId, String topic, String payload)
      throws MqttException {
    MqttAsyncClient client = connect(mqttUrl, clientId);
    try {
      client
          .publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false)
          .waitForCompletion(10_000);
    } finally {
      PahoConnections.closeQuietly(client);
    }
  }

  /**
   * Ends the persistent session of {@code clientId} (connects with a clean session and leaves), so
   * the broker stops keeping messages for a consumer that will not come back.
   */
  public static void discardSession(String mqttUrl, String clientId) {
    PahoConnections.closeQuietly(connect(mqttUrl, clientId));
  }

  private static MqttAsyncClient connect(String mqttUrl, String clientId) {
    try {
      MqttAsyncClient client = new MqttAsyncClient(mqttUrl, clientId, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      try {
        client.connect(options).waitForCompletion(10_000);
      } catch (MqttException e) {
        client.close(true);
        throw e;
      }
      return client;
    } catch (MqttException e) {
      throw new BenchmarkException(
          "cannot connect to the MQTT broker at "
              + mqttUrl
              + ": "
              + e
              + " (for the test services: scripts/services.sh up)",
          e);
    }
  }
}
