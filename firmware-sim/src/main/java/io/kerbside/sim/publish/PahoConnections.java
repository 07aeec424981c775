package io.kerbside.sim.publish;

import io.kerbside.core.net.BufferedSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish-only Paho connections of the simulator ({@link MqttSink}) and of the load publisher
 * ({@link io.kerbside.sim.load.LoadPublisher}): how they connect and publish within Paho's
 * in-flight limit; and how any Paho client is closed.
 */
public final class PahoConnections {
  private static final Logger LOG = LoggerFactory.getLogger(PahoConnections.class);

  private PahoConnections() {}

  /**
   * Options for a publish-only connection: clean session, MQTT 3.1.1, keep-alive 30 s, connect
   * timeout 10 s; on a plain TCP connection, a socket that reads the broker's confirmations through
   * a buffer ({@link BufferedSocketFactory}) rather than a system call or more for each.
   *
   * @param brokerUrl the broker the options are for
   * @param maxInflight unconfirmed publishes Paho allows on the connection
   * @param automaticReconnect whether Paho reconnects on its own after losing the connection
   */
  public static MqttConnectOptions publisherOptions(
      String brokerUrl, int maxInflight, boolean automaticReconnect) {
    MqttConnectOptions options = new MqttConnectOptions();
    if (BufferedSocketFactory.suits(brokerUrl)) {
      options.setSocketFactory(new BufferedSocketFactory());
    }
    options.setCleanSession(true);
    options.setMaxInflight(maxInflight);
    options.setKeepAliveInterval(30);
    options.setConnectionTimeout(10);
    options.setAutomaticReconnect(automaticReconnect);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    return options;
  }

  /**
   * Publishes one message without waiting for its confirmation, which {@code listener} receives.
   * While Paho refuses the publish for too many messages in flight, waits for its oldest pending
   * delivery and tries again.
   *
   * @param userContext handed to {@code listener} with the message's token
   * @throws MqttException when Paho refuses the publish for any other reason; {@code listener} is
   *     not called for it then
   * @throws InterruptedException when interrupted while waiting for room
   */
  public static void publish(
      MqttAsyncClient client,
      String topic,
      byte[] payload,
      int qos,
      Object userContext,
      IMqttActionListener listener)
      throws MqttException, InterruptedException {
    while (true) {
      try {
        client.publish(topic, payload, qos, false, userContext, listener);
        return;
      } catch (MqttException e) {
        if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
          throw e;
        }
        awaitOneDelivery(client);
      }
    }
  }

  /**
   * Paho counts a confirmation as done slightly after telling us, so it can still refuse a publish
   * for too many in flight: wait for its oldest pending delivery, then try again.
   */
  private static void awaitOneDelivery(MqttAsyncClient client) throws InterruptedException {
    IMqttDeliveryToken[] pending = client.getPendingDeliveryTokens();
    if (pending.length == 0) {
      Thread.sleep(1);
      return;
    }
    try {
      pending[0].waitForCompletion(1_000);
    } catch (MqttException e) {
      // That delivery's failure reaches the publish's listener, which counts it; here it only
      // ends the wait.
      LOG.trace("{} - waited on a delivery that failed: {}", client.getClientId(), e.getMessage());
    }
  }

  /**
   * Disconnects (waiting up to 5 s) and closes {@code client}; a failure of either is only logged,
   * at debug level.
   */
  public static void closeQuietly(MqttAsyncClient client) {
    try {
      if (client.isConnected()) {
        client.disconnect(1_000).waitForCompletion(5_000);
      }
    } catch (MqttException e) {
      LOG.debug("{} - disconnect: {}", client.getClientId(), e.getMessage());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("{} - close: {}", client.getClientId(), e.getMessage());
    }
  }
}
