package io.kerbside.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kerbside.core.CouncilRef;
import io.kerbside.ingest.decode.DecodeLimits;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.NativeDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.RawMessage;
import io.kerbside.ingest.decode.Reading;
import io.kerbside.ingest.decode.Rejection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs into a recording sink, checked against Kerbside's own decoder: what the report and the
 * ground truth promise is what arrives.
 */
class SimulationTest {
  /** The wall clock of these runs: two days after the simulated afternoon. */
  private static final Instant WALL = Instant.parse("2026-01-16T12:00:00Z");

  private static final Clock CLOCK = Clock.fixed(WALL, ZoneOffset.UTC);
  private static final Instant AFTERNOON = Instant.parse("2026-01-14T13:00:00Z");
  private static final NativeDecoder KERBSIDE =
      new NativeDecoder(new DecodeLimits(65_536, 16, Duration.ofMinutes(5), Duration.ofDays(395)));

  @TempDir Path dir;

  private SimConfig.Builder config(Scenario scenario, int devices, Duration duration) {
    return SimConfig.builder()
        .devices(devices)
        .scenario(scenario)
        .seed(42)
        .speed(0)
        .duration(duration)
        .start(AFTERNOON)
        .groundTruthFile(dir.resolve(scenario.code() + ".jsonl"));
  }

  private static List<Map<String, String>> groundTruth(Path file) throws IOException {
    List<Map<String, String>> records = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      Map<String, String> r = new LinkedHashMap<>();
      try (JsonParser p = new JsonFactory().createParser(line)) {
        p.nextToken();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            p.skipChildren();
          } else {
            r.put(name, p.getText());
          }
        }
      }
      records.add(r);
    }
    return records;
  }

  private static DecodedMessage decode(RecordingSink.Message m) {
    return KERBSIDE.decode(
        new RawMessage(
            new CouncilRef(1, "default"), PayloadFormat.NATIVE, m.topic(), m.payload(), WALL));
  }

  @Test
  void chaosInjectsEveryFaultAndKerbsideWouldStoreExactlyTheReportedReadings() throws Exception {
    Simulation sim =
        Simulation.create(config(Scenario.CHAOS, 80, Duration.ofHours(6)).build(), CLOCK);
    RecordingSink sink = new RecordingSink();
    SimReport report = sim.run(ProgressListener.none(), sink);

    assertThat(sink.opened).isTrue();
    assertThat(sink.closed).isTrue();
    // every fault but frame loss, which only multi-day plans
    assertThat(report.faultsInjected().keySet())
        .containsExactlyInAnyOrderElementsOf(
            EnumSet.complementOf(EnumSet.of(FaultType.FRAME_LOSS)));

    Map<String, Set<Instant>> stored = new HashMap<>();
    Map<String, Long> rejected = new TreeMap<>();
    Map<String, Long> rejectedPerDevice = new HashMap<>();
    for (RecordingSink.Message m : sink.messages) {
      DecodedMessage d = decode(m);
      String device = m.topic().substring(m.topic().lastIndexOf('/') + 1);
      for (Reading r : d.readings()) {
        stored.computeIfAbsent(device, k -> new HashSet<>()).add(r.at());
      }
      for (Rejection r : d.rejections()) {
        rejected.merge(r.reason().code(), 1L, Long::sum);
        rejectedPerDevice.merge(device, 1L, Long::sum);
      }
    }
    assertThat(rejected).isEqualTo(new TreeMap<>(report.expectedRejections()));
    report
        .perDevice()
        .forEach(
            (device, tally) -> {
              assertThat(stored.getOrDefault(device, Set.of()))
                  .as(device)
                  .hasSize((int) tally.readings());
              assertThat(rejectedPerDevice.getOrDefault(device, 0L))
                  .as(device)
                  .isEqualTo(tally.rejectedSent());
            });
    long messages = report.perDevice().values().stream().mapToLong(DeviceTally::messagesSent).sum();
    assertThat(sink.messages).hasSize((int) messages);
    assertThat(report.sent()).isEqualTo(messages);
  }

  @Test
  void theGroundTruthRecordsWhatWasDoneToEachMessage() throws Exception {
    SimConfig c = config(Scenario.CHAOS, 80, Duration.ofHours(6)).build();
    Simulation sim = Simulation.create(c, CLOCK);
    RecordingSink sink = new RecordingSink();
    SimReport report = sim.run(ProgressListener.none(), sink);
    List<Map<String, String>> truth = groundTruth(c.groundTruthFile());

    assertThat(truth.get(0)).containsEntry("record", "run").containsEntry("scenario", "chaos");
    assertThat(truth.get(truth.size() - 1)).containsEntry("record", "summary");
    Map<String, Integer> faultLines = new TreeMap<>();
    truth.stream()
        .filter(r -> "fault".equals(r.get("record")))
        .forEach(r -> faultLines.merge(r.get("type"), 1, Integer::sum));
    Map<String, Integer> reported = new TreeMap<>();
    report.faultsInjected().forEach((k, v) -> reported.put(k.code(), v));
    assertThat(faultLines).isEqualTo(reported);
    assertThat(truth.stream().filter(r -> "tally".equals(r.get("record")))).hasSize(80);

    Map<String, List<RecordingSink.Message>> byDevice = new HashMap<>();
    for (RecordingSink.Message m : sink.messages) {
      byDevice
          .computeIfAbsent(
              m.topic().substring(m.topic().lastIndexOf('/') + 1), k -> new ArrayList<>())
          .add(m);
    }
    for (Map<String, String> r : truth) {
      if (!"fault".equals(r.get("record"))) {
        continue;
      }
      List<RecordingSink.Message> sent = byDevice.getOrDefault(r.get("device"), List.of());
      switch (r.get("type")) {
        case "duplicate" -> {
          List<byte[]> copies = payloadsWithTs(sent, r.get("at"));
          assertThat(copies).hasSize(2);
          assertThat(copies.get(0)).isEqualTo(copies.get(1));
        }
        case "out-of-order" -> {
          int held = indexOfTs(sent, r.get("at"));
          int after = indexOfTs(sent, r.get("sent_after"));
          assertThat(held).isGreaterThan(after).isPositive();
        }
        case "clock-skew" -> {
          assertThat(Instant.parse(r.get("sent_ts"))).isAfter(WALL.plus(Duration.ofMinutes(59)));
          assertThat(payloadsWithTs(sent, r.get("sent_ts"))).hasSize(1);
        }
        case "burst" -> {
          Instant from = Instant.parse(r.get("from"));
          Instant until = Instant.parse(r.get("until"));
          long inBurst =
              sent.stream()
                  .map(SimulationTest::ts)
                  .filter(t -> t != null && !t.isBefore(from) && !t.isAfter(until))
                  .count();
          assertThat(inBurst).isEqualTo(Long.parseLong(r.get("readings")));
        }
        case "offline" -> {
          Instant from = Instant.parse(r.get("from"));
          Instant until = Instant.parse(r.get("until"));
          assertThat(
                  sent.stream()
                      .map(SimulationTest::ts)
                      .filter(t -> t != null && t.isAfter(from) && t.isBefore(until)))
              .isEmpty();
        }
        default -> {
          // Device faults that change values are checked by the model and injector tests.
        }
      }
    }
  }

  private static Instant ts(RecordingSink.Message m) {
    String json = new String(m.payload(), StandardCharsets.UTF_8);
    int i = json.indexOf("\"ts\":\"");
    if (i < 0) {
      return null;
    }
    try {
      return Instant.parse(json.substring(i + 6, json.indexOf('"', i + 6)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static List<byte[]> payloadsWithTs(List<RecordingSink.Message> sent, String at) {
    Instant t = Instant.parse(at);
    return sent.stream().filter(m -> t.equals(ts(m))).map(RecordingSink.Message::payload).toList();
  }

  private static int indexOfTs(List<RecordingSink.Message> sent, String at) {
    Instant t = Instant.parse(at);
    for (int i = 0; i < sent.size(); i++) {
      if (t.equals(ts(sent.get(i)))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void theSameSeedAndStartSendTheSameBytes() throws Exception {
    List<byte[]> first = run(config(Scenario.CHAOS, 40, Duration.ofHours(2)).build());
    List<byte[]> second = run(config(Scenario.CHAOS, 40, Duration.ofHours(2)).build());
    List<byte[]> otherSeed = run(config(Scenario.CHAOS, 40, Duration.ofHours(2)).seed(7).build());

    assertThat(second).hasSameSizeAs(first);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i)).isEqualTo(first.get(i));
    }
    assertThat(
            otherSeed.size() == first.size()
                && Arrays.equals(otherSeed.get(otherSeed.size() - 1), first.get(first.size() - 1)))
        .isFalse();
  }

  private List<byte[]> run(SimConfig c) throws InterruptedException {
    RecordingSink sink = new RecordingSink();
    Simulation.create(c, CLOCK).run(ProgressListener.none(), sink);
    return sink.messages.stream().map(RecordingSink.Message::payload).toList();
  }

  @Test
  void aQuietDaySendsOnlyGoodReadingsEveryIntervalAndInjectsNothing() throws Exception {
    SimConfig c = config(Scenario.QUIET_DAY, 60, Duration.ofDays(1)).build();
    RecordingSink sink = new RecordingSink();
    SimReport report = Simulation.create(c, CLOCK).run(ProgressListener.none(), sink);

    assertThat(report.faultsInjected()).isEmpty();
    assertThat(report.expectedRejections()).isEmpty();
    assertThat(report.conditions().keySet())
        .doesNotContain(
            ConditionType.SURFACE_ICE,
            ConditionType.WET_NEAR_FREEZING,
            ConditionType.POTHOLE,
            ConditionType.BIN_FULL);
    for (RecordingSink.Message m : sink.messages) {
      assertThat(decode(m).rejections()).isEmpty();
    }
    Simulation sim = Simulation.create(c, CLOCK);
    for (var a : sim.town().assets()) {
      long expected =
          switch (a.kind()) {
            case BIN -> 96;
            case STREETLIGHT, PAVEMENT -> 144;
          };
      assertThat(report.perDevice().get(a.deviceId().value()).readings()).isEqualTo(expected);
    }
    assertThat(groundTruth(c.groundTruthFile())).noneMatch(r -> "fault".equals(r.get("record")));
  }

  @Test
  void aCollectionDayEmptiesEveryBinOnce() throws Exception {
    SimConfig c =
        config(Scenario.COLLECTION_DAY, 100, Duration.ofHours(20))
            .start(Instant.parse("2026-01-14T05:00:00Z"))
            .build();
    Simulation sim = Simulation.create(c, CLOCK);
    SimReport report = sim.run(ProgressListener.none(), new RecordingSink());

    assertThat(report.conditions()).containsEntry(ConditionType.BIN_COLLECTED, 35);
    List<Map<String, String>> truth = groundTruth(c.groundTruthFile());
    assertThat(
            truth.stream()
                .filter(r -> "bin-collected".equals(r.get("type")))
                .map(r -> r.get("device"))
                .distinct())
        .hasSize(35);
  }

  @Test
  void aWinterNightIcesPavementsAndFailsSomeLamps() throws Exception {
    SimConfig c =
        config(Scenario.WINTER_NIGHT, 300, null)
            .start(Instant.parse("2026-01-14T16:00:00Z"))
            .build();
    SimReport report =
        Simulation.create(c, CLOCK).run(ProgressListener.none(), new RecordingSink());

    assertThat(report.simulatedEnd()).isEqualTo(Instant.parse("2026-01-15T08:00:00Z"));
    assertThat(report.faultsInjected())
        .containsKeys(FaultType.LAMP_FAILURE, FaultType.PAVEMENT_FREEZING)
        .doesNotContainKeys(FaultType.DUPLICATE, FaultType.MALFORMED);
    assertThat(report.conditions().get(ConditionType.SURFACE_ICE)).isGreaterThan(10);
    assertThat(report.expectedRejections()).isEmpty();
  }

  @Test
  void pacesSimulatedTimeByTheSpeed() throws Exception {
    SimConfig c = config(Scenario.QUIET_DAY, 20, Duration.ofMinutes(30)).speed(1_800).build();
    SimReport report =
        Simulation.create(c, CLOCK).run(ProgressListener.none(), new RecordingSink());

    assertThat(report.elapsed()).isBetween(Duration.ofMillis(700), Duration.ofMillis(2_500));
    assertThat(report.stoppedEarly()).isFalse();
  }

  @Test
  void stopEndsARunSoonWithWhatWasSent() throws Exception {
    SimConfig c = config(Scenario.QUIET_DAY, 50, Duration.ofDays(1)).speed(60).build();
    Simulation sim = Simulation.create(c, CLOCK);
    List<SimProgress> progress = new ArrayList<>();
    Thread stopper =
        new Thread(
            () -> {
              try {
                Thread.sleep(700);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              sim.stop();
            });
    stopper.start();
    RecordingSink sink = new RecordingSink();
    long t0 = System.nanoTime();
    SimReport report = sim.run(progress::add, sink);

    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3);
    assertThat(report.stoppedEarly()).isTrue();
    assertThat(report.simulatedEnd()).isBefore(AFTERNOON.plus(Duration.ofMinutes(5)));
    assertThat(report.expectedReadings()).isEqualTo(sink.messages.size());
    assertThat(progress).isNotEmpty();
    assertThat(groundTruth(c.groundTruthFile()).get(groundTruth(c.groundTruthFile()).size() - 1))
        .containsEntry("stopped_early", "true");
  }

  @Test
  void runsOnce() throws Exception {
    Simulation sim =
        Simulation.create(config(Scenario.QUIET_DAY, 5, Duration.ofMinutes(20)).build(), CLOCK);
    sim.run(ProgressListener.none(), new RecordingSink());

    assertThatThrownBy(() -> sim.run(ProgressListener.none(), new RecordingSink()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void startsByDefaultSoThatNoHonestReadingIsInTheFuture() {
    SimConfig c = SimConfig.builder().scenario(Scenario.CHAOS).speed(0).build();
    Simulation sim = Simulation.create(c, CLOCK);

    assertThat(sim.end()).isBeforeOrEqualTo(WALL);
    assertThat(sim.end()).isAfter(WALL.minusSeconds(120));
    for (Scenario s : EnumSet.allOf(Scenario.class)) {
      Simulation at60 = Simulation.create(SimConfig.builder().scenario(s).speed(60).build(), CLOCK);
      Duration realRun = at60.config().duration().dividedBy(60);
      assertThat(at60.end()).as(s.code()).isBeforeOrEqualTo(WALL.plus(realRun));
    }
  }
}
