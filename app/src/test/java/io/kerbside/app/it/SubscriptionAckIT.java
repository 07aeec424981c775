package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestPublisher;
import io.kerbside.core.testing.TestServices;
import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ingest's connection counts as up only once the broker has confirmed its subscriptions, and a
 * subscription the broker refuses stops start-up with a message naming the filters. The broker is a
 * real one (Moquette) whose read permission the test decides: it refuses topics under {@code
 * denied/} (a SUBACK of 0x80, as an ACL does) and takes two seconds to confirm topics under {@code
 * slow/}.
 */
class SubscriptionAckIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Duration SLOW_SUBACK = Duration.ofSeconds(2);

  private Server broker;
  private String brokerUrl;
  private TestDatabase db;
  private String prefix;

  @BeforeEach
  void setUp() throws Exception {
    Properties p = new Properties();
    p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
    p.setProperty(IConfig.PORT_PROPERTY_NAME, "0");
    p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    broker = new Server();
    broker.startServer(new MemoryConfig(p), List.of(), null, null, new ReadPolicy());
    await().atMost(Duration.ofSeconds(10)).until(() -> broker.getPort() != 0);
    brokerUrl = "tcp://127.0.0.1:" + broker.getPort();
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    db.migrated().close();
    prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
    broker.stopServer();
  }

  private Map<String, String> env(String filter) {
    return Map.of(
        "KERBSIDE_DB_URL",
        db.url(),
        "KERBSIDE_DB_USER",
        TestServices.adminUser(),
        "KERBSIDE_MQTT_URL",
        brokerUrl,
        "KERBSIDE_MQTT_CLIENT_ID",
        prefix + "-ingest",
        "KERBSIDE_INGEST_SUBSCRIPTIONS",
        filter + "=native@default");
  }

  @Test
  void aSubscriptionTheBrokerRefusesStopsStartUpNamingTheFilter() throws Exception {
    try (IngestProcess ingest =
        IngestProcess.start(env("denied/" + prefix + "/+/+"), "ingest", "--migrate")) {
      await().atMost(PATIENCE).until(() -> !ingest.alive());
      assertThat(ingest.waitForExit()).isEqualTo(3);
      assertThat(ingest.output())
          .contains(
              "refused the subscription to [denied/"
                  + prefix
                  + "/+/+] of an anonymous client; let that user read these topics")
          .contains("KERBSIDE_INGEST_SUBSCRIPTIONS")
          .doesNotContain("consuming");
    }
  }

  @Test
  void readyOnlyOnceTheBrokerConfirmedTheSubscription() throws Exception {
    String filter = "slow/" + prefix + "/+/+";
    try (IngestProcess ingest = IngestProcess.start(env(filter), "ingest", "--migrate");
        TestPublisher publisher = new TestPublisher(brokerUrl)) {
      await().atMost(PATIENCE).until(ingest::ready);
      // Published the moment /ready says so: the broker must already route it to the ingest.
      publisher.publish(
          "slow/" + prefix + "/bin/bin-1",
          "{\"ts\":\"" + Instant.now().minusSeconds(5) + "\",\"seq\":1,\"fill_pct\":40}");
      await().atMost(PATIENCE).until(() -> db.count("SELECT count(*) FROM reading") == 1);
      String out = ingest.output();
      assertThat(out.indexOf("subscribed to [" + filter + "]"))
          .as("the subscription confirmed before the ingest says it consumes")
          .isNotNegative()
          .isLessThan(out.indexOf("consuming [" + filter + "]"));
    }
  }

  /** Refuses {@code denied/...}, confirms {@code slow/...} after {@link #SLOW_SUBACK}. */
  private static final class ReadPolicy implements IAuthorizatorPolicy {
    @Override
    public boolean canWrite(Topic topic, String user, String client) {
      return true;
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
      String t = topic.toString();
      if (t.startsWith("slow/")) {
        try {
          Thread.sleep(SLOW_SUBACK.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return !t.startsWith("denied/");
    }
  }
}
