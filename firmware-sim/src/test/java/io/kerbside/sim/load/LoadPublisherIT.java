package io.kerbside.sim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.core.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * The load publisher unpaced, against the real broker: with its window full it waits for part of
 * the window at a time (see {@link LoadPublisher}), and still every reading is confirmed, reaches a
 * subscriber exactly once, and the window is whole again for the next call.
 */
class LoadPublisherIT {
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
  private static final int DEVICES = 100;

  private static String deviceId(int device, String prefix) {
    return SimulatedFleet.deviceId(prefix + "-bin-", device);
  }

  @Test
  void publishesEveryReadingOnceWhenUnpacedAndLeavesTheWindowWholeForTheNextCall()
      throws Exception {
    String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    Set<String> received = ConcurrentHashMap.newKeySet();
    MqttClient subscriber =
        new MqttClient(TestServices.mqttUrl(), prefix + "-sub", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    subscriber.connect(options);
    try {
      subscriber.subscribe(
          prefix + "/#",
          1,
          (topic, message) -> {
            Matcher m = SEQ.matcher(new String(message.getPayload(), StandardCharsets.UTF_8));
            received.add(
                topic.substring(topic.lastIndexOf('/') + 1) + "#" + (m.find() ? m.group(1) : "?"));
          });
      try (LoadPublisher publisher =
          LoadPublisher.builder(TestServices.mqttUrl())
              .devices(DEVICES)
              .topicPrefix(prefix)
              .deviceIdPrefix(prefix + "-bin-")
              .connections(2)
              // an eighth of 20 is 2: many waits for part of the window in one call
              .maxInflight(20)
              .clientIdPrefix(prefix + "-pub")
              .connect()) {
        LoadReport first = publisher.publish(20_000, 0);
        assertThat(first.sent()).isEqualTo(20_000);
        assertThat(first.failed()).isZero();
        assertThat(first.resent()).isZero();

        // Had a call kept window slots it took and did not use, the next would wait for
        // confirmations that never come (two minutes, then drop the connection and resend).
        long start = System.nanoTime();
        LoadReport second = publisher.publish(5_000, 0);
        assertThat(second.sent()).isEqualTo(5_000);
        assertThat(second.failed()).isZero();
        assertThat(second.resent()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));

        LoadReport paced = publisher.publish(500, 1_000);
        assertThat(paced.sent()).isEqualTo(500);
        assertThat(paced.failed()).isZero();
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 25_500);
      assertThat(received).hasSize(25_500);
      for (int d = 0; d < DEVICES; d++) {
        assertThat(received).contains(deviceId(d, prefix) + "#1", deviceId(d, prefix) + "#255");
      }
    } finally {
      subscriber.disconnect();
      subscriber.close();
    }
  }
}
