package io.kerbside.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Publishes test messages at QoS 1 to the test broker, waiting for each PUBACK batch. */
public final class TestPublisher implements AutoCloseable {
  private final MqttAsyncClient client;

  public TestPublisher() throws MqttException {
    this(TestServices.mqttUrl());
  }

  /** A publisher to the broker at {@code url} (anonymous). */
  public TestPublisher(String url) throws MqttException {
    client =
        new MqttAsyncClient(
            url, "it-pub-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setMaxInflight(1000);
    o.setAutomaticReconnect(true);
    client.connect(o).waitForCompletion(10_000);
  }

  public void publish(String topic, String payload) throws MqttException {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Publishes at QoS 1 and waits for the broker's acknowledgement. Like a device, it publishes
   * again after a lost connection (for up to 60 s): at-least-once delivery, which Kerbside stores
   * once.
   */
  public void publish(String topic, byte[] payload) throws MqttException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        client.publish(topic, m).waitForCompletion(10_000);
        return;
      } catch (MqttException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect().waitForCompletion(5_000);
    }
    client.close();
  }
}
