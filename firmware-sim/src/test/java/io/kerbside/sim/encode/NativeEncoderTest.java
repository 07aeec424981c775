package io.kerbside.sim.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import io.kerbside.ingest.decode.DecodeLimits;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.NativeDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.RawMessage;
import io.kerbside.ingest.decode.Reading;
import io.kerbside.sim.TownCentre;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.Town;
import io.kerbside.sim.town.TownGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NativeEncoderTest {
  private static final Instant AT = Instant.parse("2026-01-14T16:05:07.412Z");
  private static final Town TOWN = TownGenerator.generate(10, TownCentre.DEFAULT, 42);
  private static final NativeDecoder KERBSIDE =
      new NativeDecoder(new DecodeLimits(65_536, 16, Duration.ofMinutes(5), Duration.ofDays(395)));

  private final ReadingEncoder encoder = Encoders.forFormat(io.kerbside.sim.OutputFormat.NATIVE);

  private static Asset first(DeviceKind kind) {
    return TOWN.assets().stream().filter(a -> a.kind() == kind).findFirst().orElseThrow();
  }

  private static SimReading bin() {
    double[] v = SimReading.blankValues();
    SimReading.put(v, Metric.FILL_PCT, 63.54);
    SimReading.put(v, Metric.DISTANCE_MM, 395.4);
    SimReading.put(v, Metric.TEMP_C, -0.04);
    SimReading.put(v, Metric.TILT_DEG, 1.26);
    SimReading.put(v, Metric.BATTERY_V, 3.6);
    return new SimReading(first(DeviceKind.BIN), AT, 7, v);
  }

  private static SimReading lamp() {
    double[] v = SimReading.blankValues();
    v[Metric.LAMP_ON.ordinal()] = 1;
    SimReading.put(v, Metric.DIM_PCT, 75);
    SimReading.put(v, Metric.POWER_W, 27.345);
    SimReading.put(v, Metric.ENERGY_WH, 183_200.56);
    SimReading.put(v, Metric.CURRENT_A, 0.12345);
    return new SimReading(first(DeviceKind.STREETLIGHT), AT, 8, v);
  }

  private static DecodedMessage decode(String topic, byte[] payload) {
    return KERBSIDE.decode(
        new RawMessage(
            new CouncilRef(1, "default"),
            PayloadFormat.NATIVE,
            topic,
            payload,
            AT.plusSeconds(30)));
  }

  @Test
  void publishesOnPrefixKindAndDeviceId() {
    assertThat(encoder.topic("it1234/kerbside", first(DeviceKind.BIN)))
        .isEqualTo("it1234/kerbside/bin/bin-00001");
  }

  @Test
  void writesTimestampSeqAndTheReportedMetricsAtTheirSensorsResolution() {
    String json = new String(encoder.encode(bin()), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"ts\":\"2026-01-14T16:05:07.412Z\",\"seq\":7,\"fill_pct\":63.5,\"distance_mm\":395,"
                + "\"temp_c\":0.0,\"tilt_deg\":1.3,\"battery_v\":3.60}");
  }

  @Test
  void writesLampOnAsABooleanAndLeavesOutWhatIsNotReported() {
    String json = new String(encoder.encode(lamp()), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"ts\":\"2026-01-14T16:05:07.412Z\",\"seq\":8,\"lamp_on\":true,\"dim_pct\":75,"
                + "\"power_w\":27.3,\"current_a\":0.123,\"energy_wh\":183200.6}");
  }

  @Test
  void kerbsideDecodesWhatItEncodesForEveryKind() {
    for (DeviceKind kind : DeviceKind.values()) {
      Asset asset = first(kind);
      double[] v = SimReading.blankValues();
      for (Metric m : Metric.values()) {
        if (m.appliesTo(kind)) {
          SimReading.put(v, m, m.isFlag() ? 1 : (m.min() + Math.min(m.max(), 100)) / 2);
        }
      }
      SimReading r = new SimReading(asset, AT, 3, v);
      DecodedMessage m = decode(encoder.topic("kerbside", asset), encoder.encode(r));

      assertThat(m.rejections()).isEmpty();
      Reading decoded = m.readings().get(0);
      assertThat(decoded.at()).isEqualTo(AT);
      assertThat(decoded.seq()).isEqualTo(3);
      assertThat(decoded.extraJson()).isNull();
      for (Metric metric : Metric.values()) {
        if (metric.appliesTo(kind)) {
          assertThat(decoded.value(metric))
              .as(metric.code())
              .isCloseTo(v[metric.ordinal()], org.assertj.core.data.Offset.offset(0.01));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Malformation.class)
  void kerbsideRejectsEachMalformationWithItsExpectedReason(Malformation how) {
    for (SimReading r : new SimReading[] {bin(), lamp()}) {
      DecodedMessage m =
          decode(encoder.topic("kerbside", r.asset()), encoder.encodeMalformed(r, how));

      assertThat(m.readings()).as(how.code()).isEmpty();
      assertThat(m.rejections().get(0).reason().code()).isEqualTo(how.expectedReason());
    }
  }

  @Test
  void kerbsideRejectsAnImpossibleValueAsOutOfRange() {
    double[] v = bin().values().clone();
    v[Metric.TEMP_C.ordinal()] = 327.6;
    SimReading spiked = new SimReading(first(DeviceKind.BIN), AT, 9, v);
    DecodedMessage m = decode(encoder.topic("kerbside", spiked.asset()), encoder.encode(spiked));

    assertThat(m.rejections())
        .singleElement()
        .satisfies(r -> assertThat(r.reason().code()).isEqualTo("out_of_range"));
  }
}
