package io.kerbside.ingest.decode;

import static io.kerbside.ingest.decode.Fixtures.message;
import static io.kerbside.ingest.decode.Fixtures.onlyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TtnUplinkDecoderTest {
  private static final String TOPIC = "v3/camden-bins@ttn/devices/bin-camden-0042/up";
  private final TtnUplinkDecoder decoder =
      new TtnUplinkDecoder(Fixtures.LIMITS, Fixtures.profiles());

  private DecodedMessage decode(String topic, String fixture) {
    return decoder.decode(message(PayloadFormat.TTN, topic, "ttn/" + fixture));
  }

  @Test
  void mapsAMilesightUplinkChosenByItsModel() {
    DecodedMessage m = decode(TOPIC, "em400-udl-uplink.json");
    assertThat(m.rejections()).isEmpty();
    Reading r = m.readings().get(0);
    assertThat(r.device()).isEqualTo(new DeviceKey(7, DeviceKind.BIN, "bin-camden-0042"));
    assertThat(r.at()).isEqualTo(Instant.parse("2026-11-27T10:00:00.200Z"));
    assertThat(r.seq()).isEqualTo(1042);
    assertThat(r.value(Metric.DISTANCE_MM)).isEqualTo(440);
    assertThat(r.value(Metric.TEMP_C)).isEqualTo(25.7);
    assertThat(r.value(Metric.FILL_PCT)).isCloseTo(60, within(1e-9));
    assertThat(r.fillFromDistance()).isTrue();
    assertThat(r.withBinDepth(880).value(Metric.FILL_PCT)).isCloseTo(50, within(1e-9));
    assertThat(r.withBinDepth(400).value(Metric.FILL_PCT)).as("clamped").isZero();
    assertThat(r.value(Metric.FILL_PCT)).as("the reading is unchanged").isCloseTo(60, within(1e-9));
    assertThat(r.extraJson())
        .contains("\"network\":\"ttn\"")
        .contains("\"profile\":\"milesight-em400-udl\"")
        .contains("\"dev_eui\":\"24e124713b245678\"")
        .contains("\"f_port\":85")
        .contains("\"rssi_dbm\":-97.0")
        .contains("\"snr_db\":7.25")
        .contains("\"gateways\":2")
        .contains("\"decoded\":{\"battery\":92,\"position\":\"tilt\"}");
  }

  @Test
  void readsAnOmittedFrameCounterAsZeroAndStringsWithUnits() {
    DecodedMessage m =
        decode("v3/camden-bins@ttn/devices/bin-camden-0077/up", "ldds75-first-uplink.json");
    assertThat(m.rejections()).isEmpty();
    Reading r = m.readings().get(0);
    assertThat(r.seq()).isZero();
    assertThat(r.at()).isEqualTo(Instant.parse("2026-11-27T10:00:00.120Z"));
    assertThat(r.value(Metric.DISTANCE_MM)).isEqualTo(440);
    assertThat(r.value(Metric.BATTERY_V)).isEqualTo(3.362);
    assertThat(r.value(Metric.TEMP_C)).isZero();
    assertThat(r.extraJson()).contains("\"Interrupt_flag\":0").contains("\"gateways\":1");
  }

  @Test
  void choosesAProfileByApplicationAndConvertsUnitsGivenInText() {
    DecodedMessage m =
        decode("v3/islington-bins@ttn/devices/bin-islington-9/up", "issue-bin-uplink.json");
    assertThat(m.rejections()).isEmpty();
    Reading r = m.readings().get(0);
    assertThat(r.value(Metric.DISTANCE_MM)).isEqualTo(2000);
    assertThat(r.value(Metric.TEMP_C)).isEqualTo(25);
    assertThat(r.value(Metric.FILL_PCT)).isCloseTo(20, within(1e-9));
    assertThat(r.extraJson()).contains("\"tilt\":true").contains("\"gateways\":0");
  }

  @Test
  void keepsANotMeasuredTextAsExtraInsteadOfRejecting() {
    String payload =
        new String(Fixtures.payload("ttn/ldds75-first-uplink.json"), StandardCharsets.UTF_8)
            .replace("\"440 mm\"", "\"No Sensor\"");
    DecodedMessage m =
        decoder.decode(
            new RawMessage(
                Fixtures.COUNCIL,
                PayloadFormat.TTN,
                "v3/camden-bins@ttn/devices/bin-camden-0077/up",
                payload.getBytes(StandardCharsets.UTF_8),
                Fixtures.NOW));
    Reading r = m.readings().get(0);
    assertThat(r.has(Metric.DISTANCE_MM)).isFalse();
    assertThat(r.has(Metric.FILL_PCT)).isFalse();
    assertThat(r.extraJson()).contains("\"Distance\":\"No Sensor\"");
  }

  @Test
  void rejectsAPayloadNamingAnotherDeviceThanTheTopic() {
    assertThat(
            onlyReason(decode("v3/camden-bins@ttn/devices/bin-other/up", "em400-udl-uplink.json")))
        .isEqualTo(RejectionReason.DEVICE_MISMATCH);
    assertThat(
            onlyReason(
                decode("v3/other-app@ttn/devices/bin-camden-0042/up", "em400-udl-uplink.json")))
        .isEqualTo(RejectionReason.DEVICE_MISMATCH);
  }

  @Test
  void rejectsAMessageWithoutUplinkMessage() {
    assertThat(onlyReason(decode(TOPIC, "no-uplink-message.json")))
        .isEqualTo(RejectionReason.MISSING_FIELD);
  }

  @Test
  void rejectsAnUplinkWithoutDecodedPayload() {
    DecodedMessage m = decode(TOPIC, "no-decoded-payload.json");
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.MISSING_FIELD);
    assertThat(m.rejections().get(0).detail()).contains("decoded_payload");
  }

  @Test
  void rejectsAFrmPayloadThatIsNotBase64() {
    assertThat(onlyReason(decode(TOPIC, "bad-base64.json")))
        .isEqualTo(RejectionReason.BAD_ENCODING);
  }

  @Test
  void rejectsMappedFieldsOfTheWrongType() {
    DecodedMessage m = decode(TOPIC, "wrong-types.json");
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.WRONG_TYPE);
    assertThat(m.rejections().get(0).detail()).startsWith("decoded_payload.distance");
    assertThat(onlyReason(decode(TOPIC, "f-cnt-as-text.json")))
        .isEqualTo(RejectionReason.WRONG_TYPE);
  }

  @Test
  void rejectsADeviceNoProfileMatches() {
    assertThat(onlyReason(decode(TOPIC, "unknown-model.json")))
        .isEqualTo(RejectionReason.UNKNOWN_PROFILE);
  }

  @Test
  void rejectsOtherMessageTypesAndTopicsOfAnotherShape() {
    assertThat(
            onlyReason(
                decode("v3/camden-bins@ttn/devices/bin-camden-0042/join", "em400-udl-uplink.json")))
        .isEqualTo(RejectionReason.UNSUPPORTED_EVENT);
    assertThat(onlyReason(decode("kerbside/bin/bin-0042", "em400-udl-uplink.json")))
        .isEqualTo(RejectionReason.BAD_TOPIC);
  }

  @Test
  void rejectsAnUplinkFromTheFuture() {
    String payload =
        new String(Fixtures.payload("ttn/em400-udl-uplink.json"), StandardCharsets.UTF_8)
            .replace("\"2026-11-27T10:00:00.200Z\"", "\"2026-11-27T11:00:00Z\"");
    DecodedMessage m =
        decoder.decode(
            new RawMessage(
                Fixtures.COUNCIL,
                PayloadFormat.TTN,
                TOPIC,
                payload.getBytes(StandardCharsets.UTF_8),
                Fixtures.NOW));
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.FUTURE_TIMESTAMP);
  }
}
