package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.kerbside.sim.DeviceTally;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.ProgressListener;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.Simulation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against the real broker and a real ingest process: what Kerbside stores is exactly
 * what the simulator reports it sent - every reading once however often it was delivered, and every
 * mangled or skewed message in the dead-letter store with the reason the ground truth predicts.
 */
class SimulationIT {
  private static final Duration PATIENCE = Duration.ofSeconds(45);

  private TestDatabase db;
  private String prefix;
  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", TestServices.adminUser());
    env.put("KERBSIDE_DB_MIGRATE", "true");
    env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
    env.put("KERBSIDE_MQTT_CLIENT_ID", prefix + "-ingest");
    env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/+/+=native@default");
    env.put("KERBSIDE_HTTP_PORT", "0");
    env.put("KERBSIDE_RETENTION_DAYS", "36500");
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  private boolean ready(int port) {
    try {
      HttpRequest get =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build();
      return http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private Map<String, Long> countBy(String sql) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    return counts;
  }

  @Test
  void storesEachReadingOnceAndDeadLettersWhatTheChaosScenarioMangled() throws Exception {
    try (KerbsideProcess ingest =
        KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST))) {
      await().atMost(PATIENCE).until(() -> ready(ingest.httpPort()));

      Path truth = dir.resolve("chaos.jsonl");
      SimConfig config =
          SimConfig.builder()
              .devices(30)
              .scenario(Scenario.CHAOS)
              .seed(42)
              .speed(0)
              .duration(Duration.ofHours(2))
              // a fixed afternoon, long past: the run is the same whenever the test runs
              .start(java.time.Instant.parse("2026-01-14T15:00:00Z"))
              .groundTruthFile(truth)
              .publish(
                  PublishOptions.builder()
                      .brokerUrl(TestServices.mqttUrl())
                      .topicPrefix(prefix)
                      .clientIdPrefix(prefix + "-sim")
                      .qos(1)
                      .build())
              .build();
      SimReport report = Simulation.create(config).run(ProgressListener.none());

      assertThat(report.failed()).isZero();
      assertThat(report.faultsInjected())
          .containsKeys(
              FaultType.DUPLICATE,
              FaultType.OUT_OF_ORDER,
              FaultType.CLOCK_SKEW,
              FaultType.MALFORMED,
              FaultType.BURST,
              FaultType.IMPOSSIBLE_SPIKE);
      long expectedReadings = report.expectedReadings();
      long expectedDeadLetters =
          report.expectedRejections().values().stream().mapToLong(Long::longValue).sum();
      assertThat(expectedDeadLetters).isPositive();

      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  db.count("SELECT count(*) FROM reading") >= expectedReadings
                      && db.count("SELECT count(*) FROM dead_letter") >= expectedDeadLetters);
      Thread.sleep(1_000);

      assertThat(db.count("SELECT count(*) FROM reading")).isEqualTo(expectedReadings);
      assertThat(db.count("SELECT count(*) FROM dead_letter")).isEqualTo(expectedDeadLetters);

      Map<String, Long> storedPerDevice =
          countBy(
              "SELECT d.device_id, count(*) FROM reading r JOIN device d USING (device_pk)"
                  + " GROUP BY d.device_id");
      Map<String, Long> deadPerDevice =
          countBy("SELECT regexp_replace(topic, '^.*/', ''), count(*) FROM dead_letter GROUP BY 1");
      for (Map.Entry<String, DeviceTally> e : report.perDevice().entrySet()) {
        DeviceTally t = e.getValue();
        assertThat(storedPerDevice.getOrDefault(e.getKey(), 0L))
            .as(e.getKey())
            .isEqualTo(t.readings());
        assertThat(deadPerDevice.getOrDefault(e.getKey(), 0L))
            .as(e.getKey())
            .isEqualTo(t.rejectedSent());
      }
      assertThat(countBy("SELECT reason, count(*) FROM dead_letter GROUP BY reason"))
          .isEqualTo(new TreeMap<>(report.expectedRejections()));
      assertThat(
              db.count("SELECT count(*) FROM dead_letter WHERE topic NOT LIKE '" + prefix + "/%'"))
          .isZero();
      assertThat(Files.readAllLines(truth)).last().asString().startsWith("{\"record\":\"summary\"");
    }
  }
}
