package io.kerbside.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.core.testing.TestServices;
import io.kerbside.sim.run.BenchmarkRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark scenario against the real broker, restarted in the middle of the run: the load
 * publisher reconnects and publishes again what the broker had not confirmed, so every reading is
 * confirmed in the end, the report and the ground truth count each once, and a subscriber with a
 * persistent session receives every one of them.
 */
class BenchmarkBrokerRestartIT {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final int DEVICES = 200;

  /** 100 readings a device (one per 15 simulated minutes): 20,000 in all. */
  private static final Duration SIMULATED = Duration.ofHours(25);

  /** Paced so that the restart falls well inside the run: about ten seconds of publishing. */
  private static final double RATE_PER_SECOND = 2_000;

  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  @TempDir Path dir;

  @Test
  void confirmsAndDeliversEveryReadingWhenTheBrokerRestartsMidRun() throws Exception {
    String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    long expected = BenchmarkRun.readingsFor(DEVICES, SIMULATED);
    long perDevice = expected / DEVICES;
    Path truth = dir.resolve("benchmark.jsonl");
    SimConfig config =
        SimConfig.builder()
            .devices(DEVICES)
            .scenario(Scenario.BENCHMARK)
            .duration(SIMULATED)
            .groundTruthFile(truth)
            .publish(
                PublishOptions.builder()
                    .brokerUrl(TestServices.mqttUrl())
                    .topicPrefix(prefix)
                    .clientIdPrefix(prefix + "-load")
                    .qos(1)
                    .sharedConnections(4)
                    .maxRatePerSecond(RATE_PER_SECOND)
                    .build())
            .build();

    try (CountingSubscriber subscriber =
        CountingSubscriber.start(prefix + "-count", prefix + "/bin/+")) {
      FutureTask<SimReport> run =
          new FutureTask<>(() -> Simulation.create(config).run(ProgressListener.none()));
      Thread publishing = new Thread(run, "benchmark-under-test");
      publishing.start();

      await().atMost(PATIENCE).until(() -> subscriber.deliveries() >= expected / 5);
      assertThat(run.isDone()).as("the run still publishes when the broker stops").isFalse();
      TestServices.stopBroker();
      try {
        Thread.sleep(2_000);
      } finally {
        TestServices.startBroker();
      }
      SimReport report = run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

      assertThat(report.failed()).as("readings that failed for good").isZero();
      assertThat(report.sent()).isEqualTo(expected);
      assertThat(report.expectedReadings()).isEqualTo(expected);
      assertThat(report.resent()).as("readings published again after the restart").isPositive();
      assertThat(report.perDevice()).hasSize(DEVICES);
      assertThat(report.perDevice().values())
          .allSatisfy(
              t -> {
                assertThat(t.readings()).isEqualTo(perDevice);
                assertThat(t.failedSends()).isZero();
              });
      String summary =
          Files.readAllLines(truth).stream()
              .filter(l -> l.contains("\"record\":\"summary\""))
              .findFirst()
              .orElseThrow();
      assertThat(summary)
          .contains(
              "\"sent\":" + expected + ",",
              "\"failed\":0,",
              "\"resent\":" + report.resent() + ",",
              "\"expected_readings\":" + expected + ",");

      await().atMost(PATIENCE).until(() -> subscriber.distinct() >= expected);
      Set<String> every = new HashSet<>();
      for (String device : report.perDevice().keySet()) {
        for (long seq = 1; seq <= perDevice; seq++) {
          every.add(device + "#" + seq);
        }
      }
      assertThat(subscriber.received()).isEqualTo(every);
      assertThat(subscriber.mismatchedCopies())
          .as("copies of one (device, seq) that differ in their bytes")
          .isZero();
    }
  }

  /**
   * Counts what arrives on a topic filter at QoS 1 with a persistent session, so that what the
   * broker queued for it across the restart arrives too. Closing removes the session from the
   * broker.
   */
  private static final class CountingSubscriber implements MqttCallback, AutoCloseable {
    private final MqttAsyncClient client;
    private final Map<String, String> payloads = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong mismatched = new AtomicLong();

    private CountingSubscriber(MqttAsyncClient client) {
      this.client = client;
    }

    static CountingSubscriber start(String clientId, String filter) throws MqttException {
      MqttAsyncClient client =
          new MqttAsyncClient(TestServices.mqttUrl(), clientId, new MemoryPersistence());
      CountingSubscriber s = new CountingSubscriber(client);
      client.setCallback(s);
      client.connect(options(false)).waitForCompletion(10_000);
      client.subscribe(filter, 1).waitForCompletion(10_000);
      return s;
    }

    private static MqttConnectOptions options(boolean cleanSession) {
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(cleanSession);
      o.setAutomaticReconnect(!cleanSession);
      o.setMaxReconnectDelay(2_000);
      o.setKeepAliveInterval(30);
      return o;
    }

    long deliveries() {
      return deliveries.get();
    }

    long distinct() {
      return payloads.size();
    }

    /** Every {@code <device>#<seq>} received. */
    Set<String> received() {
      return Set.copyOf(payloads.keySet());
    }

    long mismatchedCopies() {
      return mismatched.get();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      deliveries.incrementAndGet();
      String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
      Matcher m = SEQ.matcher(payload);
      String device = topic.substring(topic.lastIndexOf('/') + 1);
      String key = device + "#" + (m.find() ? m.group(1) : "none");
      String first = payloads.putIfAbsent(key, payload);
      if (first != null && !first.equals(payload)) {
        mismatched.incrementAndGet();
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      // Paho reconnects on its own; the broker keeps the session and its queue meanwhile.
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // Subscribe-only.
    }

    @Override
    public void close() throws MqttException {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
      // A clean session replaces the persistent one, so the broker queues nothing more for it.
      client.connect(options(true)).waitForCompletion(10_000);
      client.disconnect().waitForCompletion(5_000);
      client.close();
    }
  }
}
