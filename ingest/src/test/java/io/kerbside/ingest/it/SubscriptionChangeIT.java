package io.kerbside.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestPublisher;
import io.kerbside.core.testing.TestServices;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.ingest.IngestService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An operator changes {@code KERBSIDE_INGEST_SUBSCRIPTIONS} between two runs of one client id,
 * against the real broker and PostgreSQL: the persistent session still holds the old filter, and
 * what it delivers must not land on any council.
 */
@ExtendWith(VertxExtension.class)
class SubscriptionChangeIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private TestDatabase db;
  private HikariDataSource ds;
  private String prefix;
  private String clientId;
  private IngestService ingest;
  private final Instant at = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    ds = db.migrated();
    prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    clientId = prefix + "-ingest";
  }

  @AfterEach
  void tearDown() throws Exception {
    if (ingest != null) {
      ingest.close();
    }
    forgetBrokerSession();
    ds.close();
    db.close();
  }

  /** Runs ingest as {@link #clientId} with the given subscriptions until {@link #stop}. */
  private void start(Vertx vertx, String subscriptions) throws Exception {
    Map<String, String> env =
        Map.of(
            "KERBSIDE_MQTT_URL",
            TestServices.mqttUrl(),
            "KERBSIDE_MQTT_CLIENT_ID",
            clientId,
            "KERBSIDE_INGEST_SUBSCRIPTIONS",
            subscriptions,
            "KERBSIDE_INGEST_RETRY_MAX_DELAY_MS",
            "1000");
    ingest =
        IngestService.start(
            IngestConfig.from(Settings.from(env)),
            ds,
            new SimpleMeterRegistry(),
            vertx,
            Clock.systemUTC());
    await().atMost(PATIENCE).until(() -> ingest.readiness().get("mqtt"));
  }

  private void stop() {
    ingest.close();
    ingest = null;
  }

  private String reading(double fill) {
    return "{\"ts\":\"" + at + "\",\"fill_pct\":" + fill + "}";
  }

  @Test
  void deadLettersWhatTheSessionStillDeliversForAFilterNoLongerConfigured(Vertx vertx)
      throws Exception {
    start(vertx, prefix + "/old/+/+=native@default");
    stop();
    String oldTopic = prefix + "/old/bin/b-1";
    try (TestPublisher pub = new TestPublisher()) {
      pub.publish(oldTopic, reading(40));
    }

    start(vertx, prefix + "/new/+/+=native@default");

    awaitStoredOrDeadLettered(1);
    assertThat(db.count("SELECT count(*) FROM reading")).isZero();
    assertThat(db.count("SELECT count(*) FROM device")).isZero();
    assertThat(db.count("SELECT count(*) FROM dead_letter")).isEqualTo(1);
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT reason, council_id, format, topic, payload FROM dead_letter")) {
      rs.next();
      assertThat(rs.getString("reason")).isEqualTo("no_subscription");
      assertThat(rs.getObject("council_id")).isNull();
      assertThat(rs.getObject("format")).isNull();
      assertThat(rs.getString("topic")).isEqualTo(oldTopic);
      assertThat(new String(rs.getBytes("payload"), StandardCharsets.UTF_8)).isEqualTo(reading(40));
    }
  }

  /** Waits until {@code n} messages were committed, as readings or dead letters. */
  private void awaitStoredOrDeadLettered(long n) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                ingest.inFlight() == 0
                    && db.count("SELECT count(*) FROM reading")
                            + db.count("SELECT count(*) FROM dead_letter")
                        >= n);
  }

  /** Ends the broker's persistent session of {@link #clientId}, so the test leaves nothing. */
  private void forgetBrokerSession() throws Exception {
    MqttAsyncClient client =
        new MqttAsyncClient(TestServices.mqttUrl(), clientId, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    client.connect(options).waitForCompletion(10_000);
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }
}
