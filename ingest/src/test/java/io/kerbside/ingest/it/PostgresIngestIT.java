package io.kerbside.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestPublisher;
import io.kerbside.core.testing.TestServices;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.ingest.IngestService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ingest contract on plain PostgreSQL (native daily partitions). */
class PostgresIngestIT extends IngestContractIT {
  @Override
  TestServices.Db cluster() {
    return TestServices.Db.POSTGRES;
  }

  @Test
  void storesReadingsInDailyPartitions() throws Exception {
    assertThat(
            db.count(
                "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'reading'"))
        .isEqualTo(1);
    assertThat(
            db.count(
                "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'reading'"))
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void twoInstancesInAShareGroupSplitOneStream(Vertx vertx) throws Exception {
    SimpleMeterRegistry metersA = new SimpleMeterRegistry();
    SimpleMeterRegistry metersB = new SimpleMeterRegistry();
    Map<String, String> common =
        Map.of(
            "KERBSIDE_MQTT_URL",
            TestServices.mqttUrl(),
            "KERBSIDE_INGEST_SUBSCRIPTIONS",
            prefix + "/kerbside/+/+=native@default",
            "KERBSIDE_INGEST_SHARE_GROUP",
            prefix);
    try (IngestService a = start(vertx, common, "a", metersA);
        IngestService b = start(vertx, common, "b", metersB)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> a.readiness().get("mqtt") && b.readiness().get("mqtt"));
      int total = 400;
      try (TestPublisher pub = new TestPublisher()) {
        for (int i = 1; i <= total; i++) {
          pub.publish(topic("bin", "bin-" + (i % 8)), binReading(i, 20));
        }
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> readings() == total);
      double receivedA =
          metersA.get("kerbside.ingest.messages").tag("format", "native").counter().count();
      double receivedB =
          metersB.get("kerbside.ingest.messages").tag("format", "native").counter().count();
      assertThat(receivedA + receivedB).isEqualTo(total);
      assertThat(receivedA).isPositive();
      assertThat(receivedB).isPositive();
    }
  }

  /**
   * Two connections of one process: they split the stream through an automatic share group, and
   * each acknowledges what it received, so a restart of both receives nothing again.
   */
  @Test
  void twoConnectionsOfOneProcessSplitTheStreamAndEachAcknowledgesItsOwn(Vertx vertx)
      throws Exception {
    Map<String, String> common =
        Map.of(
            "KERBSIDE_MQTT_URL",
            TestServices.mqttUrl(),
            "KERBSIDE_INGEST_SUBSCRIPTIONS",
            prefix + "/kerbside/+/+=native@default",
            "KERBSIDE_INGEST_CONNECTIONS",
            "2");
    int total = 400;
    try (IngestService both = start(vertx, common, "pair", new SimpleMeterRegistry())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> both.readiness().get("mqtt-1") && both.readiness().get("mqtt-2"));
      try (TestPublisher pub = new TestPublisher()) {
        for (int i = 1; i <= total; i++) {
          pub.publish(topic("bin", "bin-" + (i % 8)), binReading(i, 20));
        }
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> readings() == total);
      await().atMost(Duration.ofSeconds(10)).until(() -> both.inFlight() == 0);
    }
    assertThat(
            db.count(
                "SELECT count(DISTINCT client_id) FROM kerbside.mqtt_subscription"
                    + " WHERE client_id IN ('"
                    + prefix
                    + "-pair-1', '"
                    + prefix
                    + "-pair-2') AND topic_filter LIKE '$share/"
                    + prefix
                    + "-pair/%'"))
        .as("each connection subscribed in the automatic share group")
        .isEqualTo(2);

    SimpleMeterRegistry again = new SimpleMeterRegistry();
    try (IngestService restarted = start(vertx, common, "pair", again)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> restarted.readiness().get("mqtt-1") && restarted.readiness().get("mqtt-2"));
      Thread.sleep(2_000);
      assertThat(again.find("kerbside.ingest.messages").counters())
          .as("nothing unacknowledged is redelivered")
          .allMatch(c -> c.count() == 0);
    }
    assertThat(readings()).isEqualTo(total);
  }

  /**
   * Every database process stopped with SIGSTOP: connections stay open and nothing answers, so no
   * error arrives. The stalled commit makes /ready report the database DOWN; once the database
   * answers again, everything is stored and /ready is UP.
   */
  @Test
  void aDatabaseThatStopsAnsweringIsReportedDownAndNothingIsLost(Vertx vertx) throws Exception {
    startIngest(vertx, "KERBSIDE_INGEST_STALL_S", "2");
    try (TestPublisher pub = new TestPublisher()) {
      for (int i = 1; i <= 50; i++) {
        pub.publish(topic("bin", "bin-" + (i % 5)), binReading(i, 20));
      }
      await().atMost(PATIENCE).until(() -> readings() == 50);
      assertThat(ingest.readiness().get("database")).isTrue();

      cluster().freeze();
      try {
        for (int i = 51; i <= 100; i++) {
          pub.publish(topic("bin", "bin-" + (i % 5)), binReading(i, 20));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !ingest.readiness().get("database"));
        assertThat(ingest.inFlight()).isPositive();
      } finally {
        cluster().thaw();
      }
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> readings() == 100);
    await().atMost(PATIENCE).until(() -> ingest.readiness().get("database"));
  }

  private IngestService start(
      Vertx vertx, Map<String, String> common, String name, SimpleMeterRegistry meters)
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>(common);
    env.put("KERBSIDE_MQTT_CLIENT_ID", prefix + "-" + name);
    return IngestService.start(
        IngestConfig.from(Settings.from(env)), ds, meters, vertx, Clock.systemUTC());
  }
}
