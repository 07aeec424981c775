package io.kerbside.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.Metric;
import io.kerbside.ingest.decode.ChirpStackDecoder;
import io.kerbside.ingest.decode.DecodeLimits;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.DeviceProfiles;
import io.kerbside.ingest.decode.MessageDecoder;
import io.kerbside.ingest.decode.NativeDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.RawMessage;
import io.kerbside.ingest.decode.Reading;
import io.kerbside.ingest.decode.Rejection;
import io.kerbside.ingest.decode.SenmlDecoder;
import io.kerbside.ingest.decode.TtnUplinkDecoder;
import io.kerbside.sim.encode.Encoders;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same chaos run in every output format, each decoded by the ingest decoder of its format with
 * the built-in device profiles: the readings and rejections are those of the native run.
 */
class OutputFormatDecodeTest {
  private static final Instant WALL = Instant.parse("2026-01-16T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(WALL, ZoneOffset.UTC);
  private static final Instant AFTERNOON = Instant.parse("2026-01-14T13:00:00Z");
  private static final DecodeLimits LIMITS =
      new DecodeLimits(65_536, 16, Duration.ofMinutes(5), Duration.ofDays(395));
  private static final DeviceProfiles PROFILES = DeviceProfiles.load(Optional.empty());

  @TempDir Path dir;

  /** What one run sent and what Kerbside would make of it. */
  private record Decoded(
      SimReport report,
      List<RecordingSink.Message> messages,
      Map<String, Reading> readings,
      Map<String, Long> rejected,
      Map<Integer, String> deviceIds) {}

  private Decoded run(OutputFormat format, MessageDecoder decoder, PayloadFormat payloadFormat)
      throws Exception {
    SimConfig config =
        SimConfig.builder()
            .devices(80)
            .scenario(Scenario.CHAOS)
            .seed(42)
            .speed(0)
            .duration(Duration.ofHours(6))
            .start(AFTERNOON)
            .publish(PublishOptions.builder().format(format).build())
            .groundTruthFile(dir.resolve(format.code() + ".jsonl"))
            .build();
    RecordingSink sink = new RecordingSink();
    SimReport report = Simulation.create(config, CLOCK).run(ProgressListener.none(), sink);
    Map<String, Reading> readings = new HashMap<>();
    Map<String, Long> rejected = new TreeMap<>();
    Map<Integer, String> deviceIds = new HashMap<>();
    for (RecordingSink.Message m : sink.messages) {
      DecodedMessage d =
          decoder.decode(
              new RawMessage(
                  new CouncilRef(1, "default"), payloadFormat, m.topic(), m.payload(), WALL));
      for (Reading r : d.readings()) {
        deviceIds.put(m.device(), r.device().deviceId());
        readings.put(m.device() + "@" + r.at(), r);
      }
      for (Rejection r : d.rejections()) {
        rejected.merge(r.reason().code(), 1L, Long::sum);
      }
    }
    assertThat(rejected).isEqualTo(new TreeMap<>(report.expectedRejections()));
    long messages = report.perDevice().values().stream().mapToLong(DeviceTally::messagesSent).sum();
    assertThat(sink.messages).hasSize((int) messages);
    long stored = report.perDevice().values().stream().mapToLong(DeviceTally::readings).sum();
    assertThat(readings).hasSize((int) stored);
    return new Decoded(report, sink.messages, readings, rejected, deviceIds);
  }

  private Decoded nativeRun() throws Exception {
    return run(OutputFormat.NATIVE, new NativeDecoder(LIMITS), PayloadFormat.NATIVE);
  }

  private static void assertSameReadings(Decoded expected, Decoded actual, boolean withSeq) {
    assertThat(actual.readings().keySet()).isEqualTo(expected.readings().keySet());
    expected
        .readings()
        .forEach(
            (key, want) -> {
              Reading got = actual.readings().get(key);
              assertThat(got.device().kind()).as(key).isEqualTo(want.device().kind());
              if (withSeq) {
                assertThat(got.seq()).as(key).isEqualTo(want.seq());
              }
              for (Metric m : Metric.values()) {
                if (Double.isNaN(want.value(m))) {
                  assertThat(got.has(m)).as(key + " " + m).isFalse();
                } else {
                  assertThat(got.value(m)).as(key + " " + m).isCloseTo(want.value(m), within(1e-9));
                }
              }
            });
  }

  @Test
  void ttnUplinksDecodeToTheNativeReadingsAndRejections() throws Exception {
    Decoded expected = nativeRun();
    Decoded ttn = run(OutputFormat.TTN, new TtnUplinkDecoder(LIMITS, PROFILES), PayloadFormat.TTN);

    assertSameReadings(expected, ttn, true);
    assertThat(ttn.rejected()).isEqualTo(expected.rejected());
    assertThat(ttn.report().perDevice()).isEqualTo(expected.report().perDevice());
    assertThat(ttn.deviceIds()).isEqualTo(expected.deviceIds());
    RecordingSink.Message first = ttn.messages().get(0);
    assertThat(first.topic())
        .matches("v3/kerbside-sim-(bin|streetlight|pavement)@ttn/devices/[a-z0-9-]+/up");
  }

  @Test
  void chirpStackEventsDecodeToTheNativeReadingsAndRejections() throws Exception {
    Decoded expected = nativeRun();
    Decoded chirpStack =
        run(
            OutputFormat.CHIRPSTACK,
            new ChirpStackDecoder(LIMITS, PROFILES),
            PayloadFormat.CHIRPSTACK);

    assertSameReadings(expected, chirpStack, true);
    assertThat(chirpStack.rejected()).isEqualTo(expected.rejected());
    assertThat(chirpStack.report().perDevice()).isEqualTo(expected.report().perDevice());
    expected
        .deviceIds()
        .forEach(
            (index, deviceId) ->
                assertThat(chirpStack.deviceIds().get(index))
                    .isEqualTo(Encoders.devEui(deviceId))
                    .matches("[0-9a-f]{16}"));
    assertThat(chirpStack.messages().get(0).topic())
        .matches("application/[0-9a-f-]{36}/device/[0-9a-f]{16}/event/up");
  }

  @Test
  void senmlPacksDecodeToTheNativeReadingsAndRejections() throws Exception {
    Decoded expected = nativeRun();
    Decoded senml =
        run(OutputFormat.SENML, new SenmlDecoder(LIMITS, PROFILES), PayloadFormat.SENML);

    assertThat(senml.rejected()).isEqualTo(expected.rejected());
    assertThat(senml.deviceIds()).isEqualTo(expected.deviceIds());
    long partlyStored =
        senml.report().perDevice().values().stream()
            .mapToLong(DeviceTally::outOfRangePartlyStored)
            .sum();
    assertThat(partlyStored).isPositive();
    assertThat(senml.readings()).hasSize(expected.readings().size() + (int) partlyStored);
    Map<String, Reading> whole = new HashMap<>(senml.readings());
    whole.keySet().retainAll(expected.readings().keySet());
    assertSameReadings(expected, new Decoded(null, List.of(), whole, Map.of(), Map.of()), false);
    List<String> spikedOnly = new ArrayList<>(senml.readings().keySet());
    spikedOnly.removeAll(expected.readings().keySet());
    assertThat(spikedOnly).hasSize((int) partlyStored);
  }
}
