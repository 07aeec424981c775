package io.kerbside.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.DataSources;
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
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
 * what it delivers must not land on any council. Ingest runs with only the {@code kerbside_ingest}
 * role, as in production.
 */
@ExtendWith(VertxExtension.class)
class SubscriptionChangeIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private TestDatabase db;
  private HikariDataSource ds;
  private String ingestLogin;
  private String prefix;
  private String clientId;
  private IngestService ingest;
  private final Instant at = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    db.migrated().close();
    prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    clientId = prefix + "-ingest";
    ingestLogin = "kerbside_" + prefix;
    String password = "it-" + UUID.randomUUID();
    db.createLogin(ingestLogin, password, "kerbside_ingest");
    DatabaseConfig admin = db.config();
    ds =
        DataSources.open(
            new DatabaseConfig(
                admin.url(),
                ingestLogin,
                Secret.of(password),
                admin.poolSize(),
                admin.storage(),
                admin.retentionDays(),
                false,
                admin.compressAfterDays()),
            "ingest",
            null);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (ingest != null) {
      ingest.close();
    }
    forgetBrokerSession();
    ds.close();
    db.close();
    try (Connection c =
            DriverManager.getConnection(db.cluster().adminUrl(), TestServices.adminUser(), "");
        Statement st = c.createStatement()) {
      st.execute("DROP ROLE IF EXISTS " + ingestLogin);
    }
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

  @Test
  void unsubscribesAFilterDroppedFromTheSettingAtTheNextStart(Vertx vertx) throws Exception {
    start(vertx, prefix + "/old/+/+=native@default");
    assertThat(recordedFilters()).containsExactly(prefix + "/old/+/+");
    stop();

    start(vertx, prefix + "/new/+/+=native@default");
    assertThat(recordedFilters()).containsExactly(prefix + "/new/+/+");
    try (TestPublisher pub = new TestPublisher()) {
      pub.publish(prefix + "/old/bin/b-1", reading(40));
      pub.publish(prefix + "/new/bin/b-2", reading(50));
    }

    awaitStoredOrDeadLettered(1);
    // The broker forwards in publication order: what it still sent on the old filter would have
    // come before the reading on the new one. A moment more for a straggler all the same.
    Thread.sleep(1000);
    assertThat(db.count("SELECT count(*) FROM dead_letter")).isZero();
    assertThat(db.count("SELECT count(*) FROM reading")).isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM device WHERE device_id = 'b-2'")).isEqualTo(1);
  }

  private List<String> recordedFilters() throws Exception {
    List<String> filters = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT topic_filter FROM mqtt_subscription WHERE client_id = ? ORDER BY 1")) {
      ps.setString(1, clientId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          filters.add(rs.getString(1));
        }
      }
    }
    return filters;
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
