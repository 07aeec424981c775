package io.kerbside.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestPublisher;
import io.kerbside.core.testing.TestServices;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.ingest.IngestService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What ingest promises, against the real broker and a real database of each supported layout: every
 * reading stored once, bad input dead-lettered with its reason, outages survived without loss.
 * Subclasses choose the database.
 */
@ExtendWith(VertxExtension.class)
abstract class IngestContractIT {
  static final Duration PATIENCE = Duration.ofSeconds(90);

  protected TestDatabase db;
  protected HikariDataSource ds;
  protected String prefix;
  IngestService ingest;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Map<String, String> env = new HashMap<>();

  abstract TestServices.Db cluster();

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(cluster());
    ds = db.migrated();
    prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
    env.put("KERBSIDE_MQTT_CLIENT_ID", prefix + "-ingest");
    env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/kerbside/+/+=native@default");
    env.put("KERBSIDE_INGEST_RETRY_MAX_DELAY_MS", "1000");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (ingest != null) {
      ingest.close();
    }
    ds.close();
    db.close();
  }

  protected void startIngest(Vertx vertx, String... settings) throws Exception {
    for (int i = 0; i < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    ingest =
        IngestService.start(
            IngestConfig.from(Settings.from(env)), ds, meters, vertx, Clock.systemUTC());
    await().atMost(PATIENCE).until(() -> ingest.readiness().get("mqtt"));
  }

  protected String topic(String kind, String device) {
    return prefix + "/kerbside/" + kind + "/" + device;
  }

  private final Instant base =
      Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  /** A bin reading whose timestamp is a function of its seq, so a resend is the same reading. */
  protected String binReading(int seq, double fill) {
    Instant ts = base.plusMillis(seq);
    return "{\"ts\":\"" + ts + "\",\"seq\":" + seq + ",\"fill_pct\":" + fill + "}";
  }

  protected long readings() throws Exception {
    return db.count("SELECT count(*) FROM reading");
  }

  protected Map<String, Long> deadLettersByReason() throws Exception {
    Map<String, Long> byReason = new TreeMap<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT reason, count(*) FROM dead_letter GROUP BY reason")) {
      while (rs.next()) {
        byReason.put(rs.getString(1), rs.getLong(2));
      }
    }
    return byReason;
  }

  @Test
  void storesEveryPublishedReadingExactlyOnce(Vertx vertx) throws Exception {
    startIngest(vertx);
    int devices = 20;
    int perDevice = 25;
    try (TestPublisher pub = new TestPublisher()) {
      for (int s = 1; s <= perDevice; s++) {
        for (int d = 0; d < devices; d++) {
          pub.publish(topic("bin", "bin-" + d), binReading(s, s % 100));
        }
      }
      // Device retries and QoS 1 redeliveries: the same readings again.
      for (int d = 0; d < devices; d++) {
        pub.publish(topic("bin", "bin-" + d), binReading(1, 1));
      }
    }
    await()
        .atMost(PATIENCE)
        .until(() -> ingest.inFlight() == 0 && readings() >= devices * perDevice);
    Thread.sleep(500);
    assertThat(readings()).isEqualTo(devices * perDevice);
    assertThat(db.count("SELECT count(DISTINCT (device_pk, seq)) FROM reading"))
        .isEqualTo(devices * perDevice);
    assertThat(db.count("SELECT count(*) FROM device WHERE last_seen_at IS NOT NULL"))
        .isEqualTo(devices);
    assertThat(db.count("SELECT count(*) FROM dead_letter")).isZero();
  }

  @Test
  void deadLettersEachKindOfBadInputAndStoresTheGoodMessagesAroundIt(Vertx vertx) throws Exception {
    startIngest(vertx);
    Instant now = Instant.now();
    Map<String, String> bad = new TreeMap<>();
    bad.put("malformed_json", "{\"fill_pct\": 12");
    bad.put("wrong_type", "{\"fill_pct\":\"full\"}");
    bad.put("out_of_range", "{\"fill_pct\":250}");
    bad.put("future_timestamp", "{\"ts\":\"" + now.plusSeconds(3600) + "\",\"fill_pct\":5}");
    bad.put("too_old", "{\"ts\":\"" + now.minus(Duration.ofDays(400)) + "\",\"fill_pct\":5}");
    bad.put("bad_timestamp", "{\"ts\":\"last tuesday\",\"fill_pct\":5}");
    bad.put("payload_too_large", "{\"note\":\"" + "x".repeat(70_000) + "\"}");
    bad.put("nesting_too_deep", "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}");
    bad.put("empty_message", "");
    int good = 0;
    try (TestPublisher pub = new TestPublisher()) {
      for (Map.Entry<String, String> b : bad.entrySet()) {
        pub.publish(topic("bin", "good-1"), binReading(++good, 10));
        pub.publish(topic("bin", "bad-1"), b.getValue());
      }
      pub.publish(topic("bin", "good-1"), binReading(++good, 10));
      pub.publish(topic("lamp", "x-1"), "{\"lamp_on\":true}");
      // registered as a bin above, so a streetlight topic for it is a kind mismatch
      pub.publish(topic("streetlight", "good-1"), "{\"lamp_on\":true}");
    }
    Map<String, Long> expected = new TreeMap<>();
    bad.keySet().forEach(k -> expected.put(k, 1L));
    expected.put("bad_topic", 1L);
    expected.put("kind_mismatch", 1L);
    await().atMost(PATIENCE).until(() -> deadLettersByReason().equals(expected));
    assertThat(readings()).isEqualTo(good);
    assertThat(db.count("SELECT payload_size FROM dead_letter WHERE reason = 'payload_too_large'"))
        .isGreaterThan(70_000);
    assertThat(
            db.count(
                "SELECT count(*) FROM dead_letter WHERE topic = '"
                    + topic("bin", "bad-1")
                    + "' AND detail <> '' AND council_id = 1"))
        .isEqualTo(bad.size());
  }

  @Test
  void rejectsUnknownDevicesWhenAutoRegistrationIsOff(Vertx vertx) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO device (council_id, device_id, kind, registration) VALUES (1, 'known-1', 'bin', 'registered')");
    }
    startIngest(vertx, "KERBSIDE_INGEST_AUTO_REGISTER", "false");
    try (TestPublisher pub = new TestPublisher()) {
      pub.publish(topic("bin", "stranger-1"), binReading(1, 10));
      pub.publish(topic("bin", "known-1"), binReading(1, 10));
    }
    await().atMost(PATIENCE).until(() -> readings() == 1 && deadLettersByReason().size() == 1);
    assertThat(deadLettersByReason()).containsExactly(Map.entry("unknown_device", 1L));
    assertThat(db.count("SELECT count(*) FROM device")).isEqualTo(1);
  }

  @Test
  void losesNothingWhenTheDatabaseStopsMidStream(Vertx vertx) throws Exception {
    startIngest(vertx);
    int total = 1500;
    AtomicInteger published = new AtomicInteger();
    Thread publisher =
        new Thread(
            () -> {
              try (TestPublisher pub = new TestPublisher()) {
                for (int i = 1; i <= total; i++) {
                  pub.publish(topic("bin", "bin-" + (i % 30)), binReading(i, i % 100));
                  published.incrementAndGet();
                  if (i % 5 == 0) {
                    Thread.sleep(20);
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    publisher.start();
    await().atMost(PATIENCE).until(() -> readings() > 100);
    cluster().stop();
    try {
      await()
          .atMost(PATIENCE)
          .until(() -> !ingest.readiness().get("database") || published.get() == total);
      Thread.sleep(3000);
    } finally {
      cluster().start();
    }
    publisher.join(PATIENCE.toMillis());
    assertThat(published.get()).isEqualTo(total);
    await().atMost(PATIENCE).until(() -> readings() == total);
    assertThat(ingest.readiness().get("database")).isTrue();
    assertThat(meters.get("kerbside.ingest.batch.failures").counter().count())
        .as("the outage was seen by the writer")
        .isPositive();
  }

  @Test
  void losesNothingWhenTheBrokerRestarts(Vertx vertx) throws Exception {
    startIngest(vertx);
    int firstHalf = 300;
    try (TestPublisher pub = new TestPublisher()) {
      for (int i = 1; i <= firstHalf; i++) {
        pub.publish(topic("bin", "bin-" + (i % 10)), binReading(i, 5));
      }
    }
    TestServices.stopBroker();
    try {
      await().atMost(PATIENCE).until(() -> !ingest.readiness().get("mqtt"));
    } finally {
      TestServices.startBroker();
    }
    try (TestPublisher pub = new TestPublisher()) {
      for (int i = firstHalf + 1; i <= 2 * firstHalf; i++) {
        pub.publish(topic("bin", "bin-" + (i % 10)), binReading(i, 5));
      }
    }
    await().atMost(PATIENCE).until(() -> readings() == 2 * firstHalf);
    await().atMost(PATIENCE).until(() -> ingest.readiness().get("mqtt"));
  }

  @Test
  void keepsCouncilsApartByTheSubscriptionAMessageArrivedOn(Vertx vertx) throws Exception {
    Councils councils = new Councils(ds);
    int camden = councils.add("camden", "London Borough of Camden").id();
    int islington = councils.add("islington", "London Borough of Islington").id();
    startIngest(
        vertx,
        "KERBSIDE_INGEST_SUBSCRIPTIONS",
        prefix + "/camden/+/+=native@camden," + prefix + "/islington/+/+=native@islington");
    try (TestPublisher pub = new TestPublisher()) {
      pub.publish(prefix + "/camden/bin/bin-1", binReading(1, 10));
      pub.publish(prefix + "/camden/bin/bin-1", binReading(2, 11));
      pub.publish(prefix + "/islington/bin/bin-1", binReading(1, 50));
      pub.publish(prefix + "/islington/bin/bin-1", "{\"fill_pct\":999}");
    }
    await().atMost(PATIENCE).until(() -> readings() == 3 && deadLettersByReason().size() == 1);
    assertThat(db.count("SELECT count(*) FROM device WHERE device_id = 'bin-1'")).isEqualTo(2);
    assertThat(db.count("SELECT count(*) FROM reading WHERE council_id = " + camden)).isEqualTo(2);
    assertThat(
            db.count(
                "SELECT count(*) FROM reading r JOIN device d USING (device_pk)"
                    + " WHERE r.council_id = "
                    + islington
                    + " AND d.council_id = "
                    + islington
                    + " AND r.fill_pct = 50"))
        .isEqualTo(1);
    assertThat(db.count("SELECT council_id FROM dead_letter")).isEqualTo(islington);
  }
}
