package io.kerbside.sim.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import io.kerbside.ingest.decode.ChirpStackDecoder;
import io.kerbside.ingest.decode.DecodeLimits;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.DeviceProfiles;
import io.kerbside.ingest.decode.MessageDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.RawMessage;
import io.kerbside.ingest.decode.Reading;
import io.kerbside.ingest.decode.SenmlDecoder;
import io.kerbside.ingest.decode.TtnUplinkDecoder;
import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.TownCentre;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.Town;
import io.kerbside.sim.town.TownGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NetworkFormatEncodersTest {
  private static final Instant AT = Instant.parse("2026-01-14T16:05:07.412Z");
  private static final Town TOWN = TownGenerator.generate(10, TownCentre.DEFAULT, 42);
  private static final DecodeLimits LIMITS =
      new DecodeLimits(65_536, 16, Duration.ofMinutes(5), Duration.ofDays(395));
  private static final DeviceProfiles PROFILES = DeviceProfiles.load(Optional.empty());

  private static Asset first(DeviceKind kind) {
    return TOWN.assets().stream().filter(a -> a.kind() == kind).findFirst().orElseThrow();
  }

  private static SimReading bin(long seq) {
    double[] v = SimReading.blankValues();
    SimReading.put(v, Metric.FILL_PCT, 63.54);
    SimReading.put(v, Metric.DISTANCE_MM, 395.4);
    SimReading.put(v, Metric.TEMP_C, -0.04);
    SimReading.put(v, Metric.TILT_DEG, 1.26);
    SimReading.put(v, Metric.BATTERY_V, 3.6);
    return new SimReading(first(DeviceKind.BIN), AT, seq, v);
  }

  private static SimReading lamp() {
    double[] v = SimReading.blankValues();
    v[Metric.LAMP_ON.ordinal()] = 1;
    SimReading.put(v, Metric.DIM_PCT, 75);
    SimReading.put(v, Metric.POWER_W, 27.345);
    return new SimReading(first(DeviceKind.STREETLIGHT), AT, 8, v);
  }

  private static DecodedMessage decode(OutputFormat format, SimReading r, byte[] payload) {
    MessageDecoder decoder =
        switch (format) {
          case TTN -> new TtnUplinkDecoder(LIMITS, PROFILES);
          case CHIRPSTACK -> new ChirpStackDecoder(LIMITS, PROFILES);
          case SENML -> new SenmlDecoder(LIMITS, PROFILES);
          default -> throw new IllegalArgumentException(format.code());
        };
    String topic = Encoders.forFormat(format).topic("kerbside", r.asset());
    return decoder.decode(
        new RawMessage(
            new CouncilRef(1, "default"),
            PayloadFormat.valueOf(format.name()),
            topic,
            payload,
            AT.plusSeconds(30)));
  }

  @ParameterizedTest
  @EnumSource(
      value = OutputFormat.class,
      names = {"TTN", "CHIRPSTACK", "SENML"})
  void aReadingDecodesToItsTimeAndValues(OutputFormat format) {
    for (SimReading r : new SimReading[] {bin(7), lamp()}) {
      DecodedMessage d = decode(format, r, Encoders.forFormat(format).encode(r));

      assertThat(d.rejections()).isEmpty();
      assertThat(d.readings()).hasSize(1);
      Reading got = d.readings().get(0);
      assertThat(got.at()).isEqualTo(AT);
      assertThat(got.device().kind()).isEqualTo(r.asset().kind());
      assertThat(got.seq()).isEqualTo(format == OutputFormat.SENML ? Reading.NO_SEQ : r.seq());
      for (Metric m : Metric.values()) {
        if (Double.isNaN(r.value(m))) {
          assertThat(got.has(m)).as(format + " " + m).isFalse();
        } else {
          // each value travels at its sensor's resolution, the coarsest a whole millimetre
          assertThat(got.value(m)).as(format + " " + m).isCloseTo(r.value(m), within(0.5));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = OutputFormat.class,
      names = {"TTN", "CHIRPSTACK", "SENML"})
  void everyMalformationIsRejectedOnceWithItsReason(OutputFormat format) {
    ReadingEncoder encoder = Encoders.forFormat(format);
    for (SimReading r : new SimReading[] {bin(7), lamp()}) {
      for (Malformation how : Malformation.values()) {
        DecodedMessage d = decode(format, r, encoder.encodeMalformed(r, how));

        assertThat(d.readings()).as(format + " " + how).isEmpty();
        assertThat(d.rejections()).as(format + " " + how).hasSize(1);
        assertThat(d.rejections().get(0).reason().code())
            .as(format + " " + how)
            .isEqualTo(how.expectedReason());
      }
    }
  }

  @Test
  void networkServersOmitAZeroFrameCounter() {
    String ttn =
        new String(Encoders.forFormat(OutputFormat.TTN).encode(bin(0)), StandardCharsets.UTF_8);
    String chirpStack =
        new String(
            Encoders.forFormat(OutputFormat.CHIRPSTACK).encode(bin(0)), StandardCharsets.UTF_8);

    assertThat(ttn).doesNotContain("f_cnt").contains("\"f_port\":2");
    assertThat(chirpStack).doesNotContain("fCnt").contains("\"fPort\":2");
    assertThat(decode(OutputFormat.TTN, bin(0), ttn.getBytes(StandardCharsets.UTF_8)).readings())
        .singleElement()
        .extracting(Reading::seq)
        .isEqualTo(0L);
  }

  @Test
  void theDevEuiIsSixteenLowerCaseHexDigitsFixedByTheDeviceId() {
    String eui = Encoders.devEui("bin-00001");

    assertThat(eui).matches("[0-9a-f]{16}").isEqualTo(Encoders.devEui("bin-00001"));
    assertThat(Encoders.devEui("bin-00002")).isNotEqualTo(eui);
    assertThat(Encoders.forFormat(OutputFormat.CHIRPSTACK).topic("kerbside", bin(1).asset()))
        .endsWith("/device/" + Encoders.devEui(bin(1).asset().deviceId().value()) + "/event/up");
  }

  @Test
  void uplinksCarryRadioMetadata() {
    DecodedMessage d =
        decode(OutputFormat.TTN, bin(7), Encoders.forFormat(OutputFormat.TTN).encode(bin(7)));

    assertThat(d.readings().get(0).extraJson())
        .contains(
            "\"network\":\"ttn\"",
            "\"profile\":\"kerbside-sim-bin\"",
            "\"rssi_dbm\":",
            "\"gateways\":1");
  }
}
