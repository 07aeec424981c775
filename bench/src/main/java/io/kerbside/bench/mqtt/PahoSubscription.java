package io.kerbside.bench.mqtt;

import io.kerbside.sim.publish.PahoConnections;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A subscribe-only Paho client that hands every message it receives to a handler. {@link #open}
 * connects and subscribes; {@link #close()} disconnects and releases the client.
 *
 * <p>The handlers run on Paho's callback thread, one call at a time, and must not throw.
 */
public final class PahoSubscription implements AutoCloseable {
  /** What a subscription does with each message it receives. */
  @FunctionalInterface
  public interface MessageHandler {
    void handle(String topic, MqttMessage message);
  }

  private final MqttAsyncClient client;

  private PahoSubscription(MqttAsyncClient client) {
    this.client = client;
  }

  /**
   * Connects to {@code mqttUrl} as {@code clientId}, subscribes to {@code topicFilters} (at the
   * matching {@code qos}) and returns once the broker has confirmed the subscription.
   *
   * @param timeout how long to wait for the connection, and then for the subscription
   * @param onConnectionLost told when the connection drops, with the cause Paho gives (may be null)
   * @throws MqttException when connecting or subscribing fails; the client is closed then
   */
  public static PahoSubscription open(
      String mqttUrl,
      String clientId,
      MqttConnectOptions options,
      Duration timeout,
      String[] topicFilters,
      int[] qos,
      MessageHandler onMessage,
      Consumer<Throwable> onConnectionLost)
      throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient(mqttUrl, clientId, new MemoryPersistence());
    PahoSubscription subscription = new PahoSubscription(client);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage message) {
            onMessage.handle(topic, message);
          }

          @Override
          public void connectionLost(Throwable cause) {
            onConnectionLost.accept(cause);
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {
            // Subscribe-only client.
          }
        });
    try {
      client.connect(options).waitForCompletion(timeout.toMillis());
      client.subscribe(topicFilters, qos).waitForCompletion(timeout.toMillis());
    } catch (MqttException e) {
      subscription.close();
      throw e;
    }
    return subscription;
  }

  /** Disconnects and closes the client; a failure is only logged, at debug level. */
  @Override
  public void close() {
    PahoConnections.closeQuietly(client);
  }
}
