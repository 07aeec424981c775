package io.kerbside.ingest.decode;

import static io.kerbside.ingest.decode.Fixtures.message;
import static io.kerbside.ingest.decode.Fixtures.onlyReason;
import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChirpStackDecoderTest {
  private static final String UP =
      "application/17c82e96-be03-4f38-aef3-f83d48582d97/device/24e124713b245678/event/up";
  private final ChirpStackDecoder decoder =
      new ChirpStackDecoder(Fixtures.LIMITS, Fixtures.profiles());

  private DecodedMessage decode(String topic, String fixture) {
    return decoder.decode(message(PayloadFormat.CHIRPSTACK, topic, "chirpstack/" + fixture));
  }

  @Test
  void mapsAnUplinkByItsDeviceProfileNameAndKeepsTheRadioSummary() {
    DecodedMessage m = decode(UP, "em400-udl-up.json");
    assertThat(m.rejections()).isEmpty();
    Reading r = m.readings().get(0);
    assertThat(r.device()).isEqualTo(new DeviceKey(7, DeviceKind.BIN, "24e124713b245678"));
    assertThat(r.at()).isEqualTo(Instant.parse("2026-11-27T10:00:00.250931Z"));
    assertThat(r.seq()).isEqualTo(1042);
    assertThat(r.value(Metric.DISTANCE_MM)).isEqualTo(440);
    assertThat(r.value(Metric.FILL_PCT)).isEqualTo(60);
    assertThat(r.fillFromDistance()).isTrue();
    assertThat(r.extraJson())
        .contains("\"dedup_id\":\"3ac7e3c4-4401-4b8d-9386-a5c902f9202d\"")
        .contains("\"f_port\":85")
        .contains("\"rssi_dbm\":-36.0")
        .contains("\"snr_db\":10.5")
        .contains("\"gateways\":2")
        .contains("\"position\":\"normal\"");
  }

  @Test
  void takesTheDevEuiInLowerCaseAsTheDeviceId() {
    DecodedMessage m =
        decode(
            "application/17c82e96-be03-4f38-aef3-f83d48582d97/device/24E124713B245678/event/up",
            "em400-udl-up.json");
    assertThat(m.readings().get(0).device().deviceId()).isEqualTo("24e124713b245678");
  }

  @Test
  void readsOmittedZerosAndFalseAsSuchForNativeNamedMetrics() {
    DecodedMessage m =
        decode(
            "application/5c1d9a52-7a3e-4f7b-a2f4-1f1a8f5d3b10/device/0102030405060708/event/up",
            "sim-streetlight-first-up.json");
    assertThat(m.rejections()).isEmpty();
    Reading r = m.readings().get(0);
    assertThat(r.device().kind()).isEqualTo(DeviceKind.STREETLIGHT);
    assertThat(r.seq()).isZero();
    assertThat(r.value(Metric.LAMP_ON)).isZero();
    assertThat(r.value(Metric.ENERGY_WH)).isEqualTo(183200.5);
    assertThat(r.extraJson()).contains("\"ballast\":\"led-driver-2\"");
  }

  @Test
  void keepsAStatusEventsBatteryPercentAndMarginInExtra() {
    DecodedMessage m = decode(UP.replace("/event/up", "/event/status"), "status.json");
    assertThat(m.rejections()).isEmpty();
    Reading r = m.readings().get(0);
    assertThat(r.seq()).isEqualTo(Reading.NO_SEQ);
    assertThat(r.at()).isEqualTo(Instant.parse("2026-11-27T10:00:00.000001Z"));
    for (Metric metric : Metric.values()) {
      assertThat(r.has(metric)).isFalse();
    }
    assertThat(r.extraJson())
        .contains("\"battery_pct\":87.4")
        .contains("\"margin_db\":8")
        .contains("\"external_power\":false");
  }

  @Test
  void reportsNoBatteryLevelForAMainsPoweredDevice() {
    DecodedMessage m =
        decode("application/x/device/0102030405060708/event/status", "status-mains.json");
    assertThat(m.readings().get(0).extraJson())
        .contains("\"external_power\":true")
        .contains("\"margin_db\":0")
        .doesNotContain("battery_pct");
  }

  @Test
  void rejectsADeviceProfileNoKerbsideProfileMatches() {
    DecodedMessage m = decode(UP, "unknown-profile.json");
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.UNKNOWN_PROFILE);
    assertThat(m.rejections().get(0).detail()).contains("Acme BinSense");
  }

  @Test
  void rejectsAPayloadForAnotherDevEui() {
    assertThat(onlyReason(decode(UP, "device-mismatch.json")))
        .isEqualTo(RejectionReason.DEVICE_MISMATCH);
  }

  @Test
  void rejectsDataThatIsNotBase64() {
    assertThat(onlyReason(decode(UP, "bad-base64.json"))).isEqualTo(RejectionReason.BAD_ENCODING);
  }

  @Test
  void rejectsAnUplinkWithoutDecodedObject() {
    assertThat(onlyReason(decode(UP, "no-codec.json"))).isEqualTo(RejectionReason.MISSING_FIELD);
  }

  @Test
  void rejectsAnImpossibleDistance() {
    assertThat(onlyReason(decode(UP, "distance-out-of-range.json")))
        .isEqualTo(RejectionReason.OUT_OF_RANGE);
  }

  @Test
  void rejectsOtherEventsAndMalformedTopics() {
    assertThat(onlyReason(decode(UP.replace("/event/up", "/event/join"), "status.json")))
        .isEqualTo(RejectionReason.UNSUPPORTED_EVENT);
    assertThat(onlyReason(decode("application/a/device/not-an-eui/event/up", "status.json")))
        .isEqualTo(RejectionReason.BAD_TOPIC);
    assertThat(onlyReason(decode("application/a/event/up", "status.json")))
        .isEqualTo(RejectionReason.BAD_TOPIC);
  }

  @Test
  void rejectsJsonThatIsNotAnObject() {
    DecodedMessage m =
        decoder.decode(
            new RawMessage(
                Fixtures.COUNCIL,
                PayloadFormat.CHIRPSTACK,
                UP,
                "[1,2]".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Fixtures.NOW));
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.WRONG_TYPE);
  }
}
