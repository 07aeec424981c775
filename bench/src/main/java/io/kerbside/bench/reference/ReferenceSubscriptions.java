package io.kerbside.bench.reference;

import io.kerbside.bench.mqtt.PahoSubscription;
import io.kerbside.bench.mqtt.PahoSubscription.MessageHandler;
import io.kerbside.core.net.BufferedSocketFactory;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * How the reference consumers subscribe: QoS 1 with automatic acknowledgements, a clean session,
 * MQTT 3.1.1, keep-alive 30 s, waiting up to 15 s for the broker.
 */
final class ReferenceSubscriptions {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private ReferenceSubscriptions() {}

  /**
   * Connects and subscribes to {@code topicFilter}; returns once the broker has confirmed the
   * subscription.
   *
   * @throws MqttException when connecting or subscribing fails; the client is closed then
   */
  static PahoSubscription open(
      String mqttUrl,
      String clientId,
      String topicFilter,
      MessageHandler onMessage,
      Consumer<Throwable> onConnectionLost)
      throws MqttException {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setKeepAliveInterval(30);
    if (BufferedSocketFactory.suits(mqttUrl)) {
      // as the ingest reads: many packets per system call
      options.setSocketFactory(new BufferedSocketFactory());
    }
    return PahoSubscription.open(
        mqttUrl,
        clientId,
        options,
        TIMEOUT,
        new String[] {topicFilter},
        new int[] {1},
        onMessage,
        onConnectionLost);
  }
}
