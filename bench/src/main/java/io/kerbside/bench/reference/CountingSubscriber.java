package io.kerbside.bench.reference;

import io.kerbside.bench.mqtt.PahoSubscription;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference (a): a Paho subscriber that only counts what it receives (QoS 1, automatic
 * acknowledgements, clean session). What it reaches is the ceiling the broker and the MQTT client
 * impose on any consumer on this machine.
 */
public final class CountingSubscriber implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CountingSubscriber.class);

  private final PahoSubscription subscription;
  private final ArrivalCounter received;

  private CountingSubscriber(PahoSubscription subscription, ArrivalCounter received) {
    this.subscription = subscription;
    this.received = received;
  }

  /** Connects and subscribes; returns once the broker has confirmed the subscription. */
  public static CountingSubscriber start(String mqttUrl, String clientId, String topicFilter)
      throws MqttException {
    ArrivalCounter received = new ArrivalCounter();
    PahoSubscription subscription =
        ReferenceSubscriptions.open(
            mqttUrl,
            clientId,
            topicFilter,
            (topic, message) -> received.record(),
            cause -> LOG.warn("counting subscriber - connection lost: {}", String.valueOf(cause)));
    return new CountingSubscriber(subscription, received);
  }

  /** The messages received so far, and when the latest arrived. */
  public ArrivalCounter received() {
    return received;
  }

  @Override
  public void close() {
    subscription.close();
  }
}
