package io.kerbside.bench.reference;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shutting Paho clients down at the end of a reference step. */
final class MqttClients {
  private static final Logger LOG = LoggerFactory.getLogger(MqttClients.class);

  private MqttClients() {}

  static void closeQuietly(MqttAsyncClient client) {
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
