package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestPublisher;
import io.kerbside.core.testing.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingest process killed or stopped mid-stream loses nothing and duplicates nothing. */
class IngestProcessIT {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private TestDatabase db;
  private String prefix;
  private Map<String, String> env;
  private final Instant base = Instant.now().minusSeconds(600);

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.TIMESCALEDB);
    prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    env =
        Map.of(
            "KERBSIDE_DB_URL",
            db.url(),
            "KERBSIDE_DB_USER",
            TestServices.adminUser(),
            "KERBSIDE_MQTT_URL",
            TestServices.mqttUrl(),
            "KERBSIDE_MQTT_CLIENT_ID",
            prefix + "-ingest",
            "KERBSIDE_INGEST_SUBSCRIPTIONS",
            prefix + "/kerbside/+/+=native@default",
            "KERBSIDE_INGEST_BATCH_SIZE",
            "200");
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  private Thread publishInBackground(int total, AtomicInteger published) {
    Thread t =
        new Thread(
            () -> {
              try (TestPublisher pub = new TestPublisher()) {
                for (int i = 1; i <= total; i++) {
                  String ts = base.plusMillis(i).toString();
                  pub.publish(
                      prefix + "/kerbside/bin/bin-" + (i % 50),
                      "{\"ts\":\"" + ts + "\",\"seq\":" + i + ",\"fill_pct\":" + (i % 100) + "}");
                  published.incrementAndGet();
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    t.start();
    return t;
  }

  private void assertEverySeqStoredOnce(int total) throws Exception {
    await().atMost(PATIENCE).until(() -> db.count("SELECT count(*) FROM reading") >= total);
    Thread.sleep(1000);
    assertThat(db.count("SELECT count(*) FROM reading")).isEqualTo(total);
    assertThat(db.count("SELECT count(DISTINCT seq) FROM reading")).isEqualTo(total);
    assertThat(db.count("SELECT min(seq) FROM reading")).isEqualTo(1);
    assertThat(db.count("SELECT max(seq) FROM reading")).isEqualTo(total);
  }

  @Test
  void losesAndDuplicatesNothingWhenKilledMidStreamAndRestarted() throws Exception {
    int total = 6000;
    AtomicInteger published = new AtomicInteger();
    try (IngestProcess first = IngestProcess.start(env, "ingest", "--migrate")) {
      await().atMost(PATIENCE).until(first::ready);
      Thread publisher = publishInBackground(total, published);
      await().atMost(PATIENCE).until(() -> db.count("SELECT count(*) FROM reading") > 500);
      first.kill();
      long storedAtKill = db.count("SELECT count(*) FROM reading");
      assertThat(storedAtKill).isLessThan(total);
      publisher.join(PATIENCE.toMillis());
      assertThat(published.get()).isEqualTo(total);
      try (IngestProcess second = IngestProcess.start(env, "ingest")) {
        await().atMost(PATIENCE).until(second::ready);
        assertEverySeqStoredOnce(total);
      }
    }
  }

  @Test
  void commitsAndAcknowledgesInFlightWorkOnSigterm() throws Exception {
    int total = 3000;
    AtomicInteger published = new AtomicInteger();
    try (IngestProcess first = IngestProcess.start(env, "ingest", "--migrate")) {
      await().atMost(PATIENCE).until(first::ready);
      Thread publisher = publishInBackground(total, published);
      await().atMost(PATIENCE).until(() -> db.count("SELECT count(*) FROM reading") > 300);
      int exit = first.terminate();
      assertThat(exit).isIn(0, 143);
      assertThat(first.output())
          .contains("ingest - stopped, every received message committed and acknowledged");
      publisher.join(PATIENCE.toMillis());
      try (IngestProcess second = IngestProcess.start(env, "ingest")) {
        await().atMost(PATIENCE).until(second::ready);
        assertEverySeqStoredOnce(total);
      }
    }
  }
}
