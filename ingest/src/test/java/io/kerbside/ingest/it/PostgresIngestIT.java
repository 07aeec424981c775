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

  private IngestService start(
      Vertx vertx, Map<String, String> common, String name, SimpleMeterRegistry meters)
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>(common);
    env.put("KERBSIDE_MQTT_CLIENT_ID", prefix + "-" + name);
    return IngestService.start(
        IngestConfig.from(Settings.from(env)), ds, meters, vertx, Clock.systemUTC());
  }
}
