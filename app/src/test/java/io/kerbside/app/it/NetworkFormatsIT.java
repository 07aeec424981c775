package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.ProgressListener;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.Simulation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator publishes a chaos run in each network-server format through the real broker into a
 * real ingest process: Kerbside stores exactly the readings the run says it sent, once, and
 * dead-letters the mangled messages with the reasons the ground truth predicts.
 */
class NetworkFormatsIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static String subscription(OutputFormat format, String prefix) {
    return switch (format) {
      case TTN -> "v3/+/devices/+/up=ttn@default";
      case CHIRPSTACK -> "application/+/device/+/event/up=chirpstack@default";
      case SENML -> prefix + "/+/+=senml@default";
      case NATIVE -> prefix + "/+/+=native@default";
    };
  }

  private static Map<String, Long> countBy(TestDatabase db, String sql) throws Exception {
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

  @ParameterizedTest
  @EnumSource(
      value = OutputFormat.class,
      names = {"TTN", "CHIRPSTACK", "SENML"})
  void storesWhatTheSimulatorSentInEachFormat(OutputFormat format) throws Exception {
    String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES)) {
      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_DB_MIGRATE", "true");
      env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
      env.put("KERBSIDE_MQTT_CLIENT_ID", prefix + "-ingest");
      env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", subscription(format, prefix));
      env.put("KERBSIDE_HTTP_PORT", "0");
      env.put("KERBSIDE_RETENTION_DAYS", "36500");
      try (KerbsideProcess ingest =
          KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST))) {
        SimConfig config =
            SimConfig.builder()
                .devices(30)
                .scenario(Scenario.CHAOS)
                .seed(7)
                .speed(0)
                .duration(Duration.ofHours(2))
                // a fixed afternoon, long past: the run is the same whenever the test runs
                .start(java.time.Instant.parse("2026-01-14T15:00:00Z"))
                .publish(
                    PublishOptions.builder()
                        .brokerUrl(TestServices.mqttUrl())
                        .topicPrefix(prefix)
                        .clientIdPrefix(prefix + "-sim")
                        .format(format)
                        .qos(1)
                        .build())
                .build();
        SimReport report = Simulation.create(config).run(ProgressListener.none());
        assertThat(report.failed()).isZero();
        long expectedReadings = report.expectedReadings();
        long expectedDeadLetters =
            report.expectedRejections().values().stream().mapToLong(Long::longValue).sum();
        assertThat(expectedReadings).isPositive();
        assertThat(expectedDeadLetters).isPositive();

        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    db.count("SELECT count(*) FROM reading") >= expectedReadings
                        && db.count("SELECT count(*) FROM dead_letter") >= expectedDeadLetters);
        Thread.sleep(1_000);

        assertThat(db.count("SELECT count(*) FROM reading")).isEqualTo(expectedReadings);
        assertThat(countBy(db, "SELECT reason, count(*) FROM dead_letter GROUP BY reason"))
            .isEqualTo(new TreeMap<>(report.expectedRejections()));
        assertThat(db.count("SELECT count(DISTINCT device_pk) FROM reading"))
            .isEqualTo(report.perDevice().values().stream().filter(t -> t.readings() > 0).count());
        if (format != OutputFormat.SENML) {
          assertThat(db.count("SELECT count(*) FROM reading WHERE extra -> 'lorawan' IS NULL"))
              .as("radio metadata kept with every LoRaWAN reading")
              .isZero();
        }
      }
    }
  }
}
