package io.kerbside.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's embedded broker, as a newcomer tries it with the tools at hand: {@code mosquitto_pub}
 * with its defaults (MQTT 3.1.1 and no client id), MQTT 5 clients, and Kerbside storing what they
 * send.
 */
class EmbeddedBrokerIT {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** One reading, published again until stored: the same identity, so it is stored once. */
  private static final String PROBE = reading(0);

  private static Path dir;
  private static EmbeddedBroker broker;
  private static TestDatabase db;
  private static KerbsideProcess kerbside;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("kerbside-broker-it");
    broker = EmbeddedBroker.start(dir, 0);
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    kerbside =
        KerbsideProcess.start(
            io.kerbside.core.config.Settings.from(
                Map.of(
                    "KERBSIDE_DB_URL",
                    db.url(),
                    "KERBSIDE_DB_USER",
                    TestServices.adminUser(),
                    "KERBSIDE_DB_MIGRATE",
                    "true",
                    "KERBSIDE_MQTT_URL",
                    broker.directUrl(),
                    "KERBSIDE_MQTT_CLIENT_ID",
                    "broker-it-" + System.nanoTime(),
                    "KERBSIDE_HTTP_PORT",
                    "0")),
            EnumSet.of(Role.INGEST));
    // A reading published before the ingest's subscription is in place has no one to go to. The
    // broker can drop the ingest's first connection as it subscribes (the ingest then connects and
    // subscribes again a second later), so the tests start once a probe has been stored.
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              run(
                  mosquitto("mosquitto_pub", "-q", "1", "-t", "kerbside/bin/it-probe", "-m", PROBE)
                      .toArray(String[]::new));
              return stored("it-probe") == 1;
            });
  }

  @AfterAll
  static void stop() throws Exception {
    if (kerbside != null) {
      kerbside.close();
    }
    if (db != null) {
      db.close();
    }
    if (broker != null) {
      broker.close();
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String reading(int seq) {
    return "{\"ts\":\""
        + Instant.now().minusSeconds(60).plusMillis(seq)
        + "\",\"seq\":"
        + seq
        + ",\"fill_pct\":42}";
  }

  private static void awaitStored(String device) {
    await().atMost(PATIENCE).until(() -> stored(device) == 1);
  }

  private static long stored(String device) throws Exception {
    return db.count(
        "SELECT count(*) FROM reading r JOIN device d USING (device_pk)"
            + " WHERE d.device_id = '"
            + device
            + "'");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    return out;
  }

  private static List<String> mosquitto(String tool, String... args) {
    URI url = URI.create(broker.url());
    List<String> cmd = new ArrayList<>(List.of(tool, "-h", url.getHost(), "-p"));
    cmd.add(Integer.toString(url.getPort()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void mosquittoPubWithItsDefaultsIsAcceptedAndItsReadingStored() throws Exception {
    run(
        mosquitto("mosquitto_pub", "-q", "1", "-t", "kerbside/bin/it-pub-311", "-m", reading(1))
            .toArray(String[]::new));
    awaitStored("it-pub-311");
  }

  @Test
  void anMqtt5ClientWithoutAClientIdIsAcceptedAndItsReadingStored() throws Exception {
    run(
        mosquitto(
                "mosquitto_pub",
                "-V",
                "mqttv5",
                "-q",
                "1",
                "-t",
                "kerbside/bin/it-pub-5",
                "-m",
                reading(2))
            .toArray(String[]::new));
    awaitStored("it-pub-5");
  }

  @Test
  void anMqtt5SubscriberReceivesWhatIsPublished() throws Exception {
    List<String> sub =
        mosquitto(
            "mosquitto_sub",
            "-V",
            "mqttv5",
            "-q",
            "1",
            "-C",
            "1",
            "-W",
            "20",
            "-t",
            "it/echo",
            "-v");
    Process subscriber = new ProcessBuilder(sub).redirectErrorStream(true).start();
    try {
      // mosquitto_sub has subscribed once a retained-free publish reaches it; retry until it does.
      await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                run(
                    mosquitto("mosquitto_pub", "-V", "mqttv5", "-t", "it/echo", "-m", "hello")
                        .toArray(String[]::new));
                return subscriber.waitFor(100, TimeUnit.MILLISECONDS);
              });
      String out = new String(subscriber.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(subscriber.exitValue()).as(out).isZero();
      assertThat(out).contains("it/echo hello");
    } finally {
      subscriber.destroy();
    }
  }

  @Test
  void aPahoClientWithAnEmptyClientIdAndACleanSessionIsAccepted() throws Exception {
    MqttClient client = new MqttClient(broker.url(), "", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    client.connect(options);
    try {
      client.publish(
          "kerbside/bin/it-paho-empty-id", reading(3).getBytes(StandardCharsets.UTF_8), 1, false);
    } finally {
      client.disconnect();
      client.close();
    }
    awaitStored("it-paho-empty-id");
  }

  @Test
  void listensOnTheLoopbackInterfaceOnly() throws IOException {
    URI url = URI.create(broker.url());
    assertThat(url.getHost()).isEqualTo("127.0.0.1");
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      for (var address : java.util.Collections.list(nic.getInetAddresses())) {
        if (address.isLoopbackAddress() || !(address instanceof java.net.Inet4Address)) {
          continue;
        }
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(address, url.getPort()), 1000);
          throw new AssertionError("the demo broker answers on " + address);
        } catch (IOException expected) {
          // refused: nothing listens there
        }
      }
    }
  }
}
