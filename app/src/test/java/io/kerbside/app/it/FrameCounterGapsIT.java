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
import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.ProgressListener;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.Simulation;
import io.kerbside.sim.encode.Encoders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Frame-counter gaps are counted exactly in every format that carries a counter: a town runs the
 * chaos scenario (devices go offline, messages are mangled, skewed or impossible and so never
 * stored), then every device reboots and the town runs again with its counters from 1. Through the
 * real broker and a real ingest process, {@code kerbside.sequence_gaps} reports per device exactly
 * the numbers the simulator never delivered between its first and last stored reading, and one
 * reset; the live {@code kerbside.ingest.sequence.*} counters agree.
 */
class FrameCounterGapsIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int DEVICES = 30;
  private static final long SEED = 11;

  private record Gaps(long lost, long resets) {}

  private static String subscription(OutputFormat format, String prefix) {
    return switch (format) {
      case TTN -> "v3/+/devices/+/up=ttn@default";
      case CHIRPSTACK -> "application/+/device/+/event/up=chirpstack@default";
      case NATIVE -> prefix + "/+/+=native@default";
      case SENML -> throw new IllegalArgumentException("SenML carries no counter");
    };
  }

  /** The id Kerbside knows the simulator's device by. */
  private static String storedId(OutputFormat format, String simulatorId) {
    return format == OutputFormat.CHIRPSTACK ? Encoders.devEui(simulatorId) : simulatorId;
  }

  private static SimReport run(OutputFormat format, String prefix, Instant start, Duration length)
      throws InterruptedException {
    SimConfig config =
        SimConfig.builder()
            .devices(DEVICES)
            .scenario(Scenario.CHAOS)
            .seed(SEED)
            .speed(0)
            .start(start)
            .duration(length)
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
    return report;
  }

  private static Map<String, Gaps> storedGaps(TestDatabase db) throws Exception {
    Map<String, Gaps> gaps = new TreeMap<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT d.device_id, g.lost, g.resets"
                    + " FROM sequence_gaps('-infinity', 'infinity') g JOIN device d USING"
                    + " (device_pk)")) {
      while (rs.next()) {
        gaps.put(rs.getString(1), new Gaps(rs.getLong(2), rs.getLong(3)));
      }
    }
    return gaps;
  }

  private static double total(MeterRegistry meters, String name, OutputFormat format) {
    return meters.find(name).tag("format", format.name().toLowerCase()).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @ParameterizedTest
  @EnumSource(
      value = OutputFormat.class,
      names = {"NATIVE", "TTN", "CHIRPSTACK"})
  void countsExactlyTheLostMessagesAndTheResets(OutputFormat format) throws Exception {
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
      try (KerbsideProcess ingest =
          KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST))) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        SimReport before = run(format, prefix, now.minus(Duration.ofHours(9)), Duration.ofHours(6));
        SimReport after = run(format, prefix, now.minus(Duration.ofHours(2)), Duration.ofHours(1));
        assertThat(before.faultsInjected()).containsKey(FaultType.OFFLINE);

        Map<String, Gaps> expected = new TreeMap<>();
        for (Map.Entry<String, DeviceTally> e : before.perDevice().entrySet()) {
          DeviceTally first = e.getValue();
          DeviceTally second = after.perDevice().get(e.getKey());
          if (first.readings() + second.readings() == 0) {
            continue;
          }
          boolean rebootSeen = first.readings() > 0 && second.readings() > 0;
          if (rebootSeen) {
            assertThat(second.firstSeq())
                .as("%s: the counter visibly restarted", e.getKey())
                .isLessThan(first.lastSeq());
          }
          expected.put(
              storedId(format, e.getKey()),
              new Gaps(
                  first.lostBetweenFirstAndLast() + second.lostBetweenFirstAndLast(),
                  rebootSeen ? 1 : 0));
        }
        long expectedLost = expected.values().stream().mapToLong(Gaps::lost).sum();
        long expectedResets = expected.values().stream().mapToLong(Gaps::resets).sum();
        assertThat(expectedLost).isPositive();
        assertThat(expectedResets).isPositive();
        long expectedReadings = before.expectedReadings() + after.expectedReadings();

        await()
            .atMost(PATIENCE)
            .until(() -> db.count("SELECT count(*) FROM reading") >= expectedReadings);
        Thread.sleep(1_000);
        assertThat(db.count("SELECT count(*) FROM reading")).isEqualTo(expectedReadings);

        assertThat(storedGaps(db)).isEqualTo(expected);

        MeterRegistry meters = ingest.meters();
        double lost = total(meters, "kerbside.ingest.sequence.lost", format);
        double recovered = total(meters, "kerbside.ingest.sequence.recovered", format);
        assertThat(lost - recovered).as("lost less recovered").isEqualTo(expectedLost);
        assertThat(total(meters, "kerbside.ingest.sequence.resets", format))
            .isEqualTo(expectedResets);
      }
    }
  }
}
