package io.kerbside.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NativeDecoderTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:30Z");
  private static final CouncilRef COUNCIL = new CouncilRef(7, "camden");
  private final NativeDecoder decoder =
      new NativeDecoder(new DecodeLimits(1024, 4, Duration.ofMinutes(5), Duration.ofDays(30)));

  private DecodedMessage decode(String topic, String payload) {
    return decode(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  private DecodedMessage decode(String topic, byte[] payload) {
    return decoder.decode(new RawMessage(COUNCIL, PayloadFormat.NATIVE, topic, payload, NOW));
  }

  private static RejectionReason onlyReason(DecodedMessage m) {
    assertThat(m.readings()).isEmpty();
    assertThat(m.rejections()).hasSize(1);
    return m.rejections().get(0).reason();
  }

  @Test
  void decodesTheReadmeExample() {
    DecodedMessage m =
        decode(
            "kerbside/bin/bin-0042",
            "{\"ts\":\"2026-11-27T10:00:00Z\",\"seq\":1042,\"fill_pct\":63.5,\"temp_c\":11.2,"
                + "\"tilt_deg\":2.0,\"battery_v\":3.61}");
    assertThat(m.rejections()).isEmpty();
    assertThat(m.readings()).hasSize(1);
    Reading r = m.readings().get(0);
    assertThat(r.device()).isEqualTo(new DeviceKey(7, DeviceKind.BIN, "bin-0042"));
    assertThat(r.at()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    assertThat(r.seq()).isEqualTo(1042);
    assertThat(r.value(Metric.FILL_PCT)).isEqualTo(63.5);
    assertThat(r.value(Metric.BATTERY_V)).isEqualTo(3.61);
    assertThat(r.has(Metric.POWER_W)).isFalse();
    assertThat(r.extraJson()).isNull();
  }

  @Test
  void takesTheDeviceFromTheTopicNeverFromThePayload() {
    DecodedMessage m =
        decode(
            "council-a/kerbside/streetlight/lamp-7",
            "{\"device\":\"other\",\"lamp_on\":true,\"power_w\":35}");
    Reading r = m.readings().get(0);
    assertThat(r.device().deviceId()).isEqualTo("lamp-7");
    assertThat(r.device().kind()).isEqualTo(DeviceKind.STREETLIGHT);
    assertThat(r.value(Metric.LAMP_ON)).isEqualTo(1.0);
    assertThat(r.extraJson()).isEqualTo("{\"device\":\"other\"}");
  }

  @Test
  void acceptsEpochMillisAndOffsetTimestamps() {
    DecodedMessage a = decode("kerbside/bin/b1", "{\"ts\":1795773600000,\"fill_pct\":1}");
    DecodedMessage b =
        decode("kerbside/bin/b1", "{\"ts\":\"2026-11-27T11:00:00+01:00\",\"fill_pct\":1}");
    assertThat(a.readings().get(0).at()).isEqualTo(Instant.ofEpochMilli(1795773600000L));
    assertThat(b.readings().get(0).at()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
  }

  @Test
  void usesTheReceiveTimeWhenTheDeviceSendsNoTimestamp() {
    Reading r = decode("kerbside/pavement/p1", "{\"surface_temp_c\":-1.5}").readings().get(0);
    assertThat(r.at()).isEqualTo(NOW);
    assertThat(r.seq()).isEqualTo(Reading.NO_SEQ);
  }

  @Test
  void keepsUnknownFieldsAndMetricsOfAnotherKindAsExtra() {
    Reading r =
        decode(
                "kerbside/bin/b1",
                "{\"fill_pct\":5,\"rssi\":-97,\"power_w\":3,\"fw\":{\"v\":[1,2]}}")
            .readings()
            .get(0);
    assertThat(r.extraJson()).isEqualTo("{\"rssi\":-97,\"power_w\":3,\"fw\":{\"v\":[1,2]}}");
    assertThat(r.has(Metric.POWER_W)).isFalse();
  }

  @Test
  void decodesEachElementOfABufferedArrayOnItsOwn() {
    DecodedMessage m =
        decode(
            "kerbside/bin/b1",
            "[{\"ts\":\"2026-11-27T09:00:00Z\",\"fill_pct\":10},"
                + "{\"ts\":\"2026-11-27T09:15:00Z\",\"fill_pct\":250},"
                + "{\"ts\":\"2026-11-27T09:30:00Z\",\"fill_pct\":12}]");
    assertThat(m.readings()).extracting(r -> r.value(Metric.FILL_PCT)).containsExactly(10.0, 12.0);
    assertThat(m.rejections())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo(RejectionReason.OUT_OF_RANGE);
              assertThat(r.detail()).startsWith("element 1: fill_pct");
            });
  }

  @Test
  void rejectsMalformedJson() {
    assertThat(onlyReason(decode("kerbside/bin/b1", "{\"fill_pct\":")))
        .isEqualTo(RejectionReason.MALFORMED_JSON);
    assertThat(onlyReason(decode("kerbside/bin/b1", "{} {}")))
        .isEqualTo(RejectionReason.MALFORMED_JSON);
    assertThat(onlyReason(decode("kerbside/bin/b1", "{\"fill_pct\":1,\"fill_pct\":2}")))
        .isEqualTo(RejectionReason.MALFORMED_JSON);
    assertThat(onlyReason(decode("kerbside/bin/b1", new byte[] {(byte) 0xff, (byte) 0xfe, 0})))
        .isEqualTo(RejectionReason.MALFORMED_JSON);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"fill_pct\":\"63\"}|WRONG_TYPE",
        "{\"lamp_on\":1}|WRONG_TYPE",
        "{\"seq\":1.5}|WRONG_TYPE",
        "{\"seq\":-1}|OUT_OF_RANGE",
        "{\"fill_pct\":250}|OUT_OF_RANGE",
        "{\"tilt_deg\":-3}|OUT_OF_RANGE",
        "{\"ts\":\"yesterday\"}|BAD_TIMESTAMP",
        "{\"ts\":\"2026-11-27T10:00:00\"}|BAD_TIMESTAMP",
        "{\"ts\":true}|BAD_TIMESTAMP",
        "{\"ts\":\"2026-11-27T10:05:31Z\"}|FUTURE_TIMESTAMP",
        "{\"ts\":\"2026-10-27T09:00:00Z\"}|TOO_OLD",
        "42|WRONG_TYPE",
        "[]|EMPTY_MESSAGE",
        "[1]|WRONG_TYPE",
      })
  void rejectsBadValuesWithTheirReason(String payload, RejectionReason reason) {
    String topic = payload.contains("lamp_on") ? "kerbside/streetlight/l1" : "kerbside/bin/b1";
    assertThat(onlyReason(decode(topic, payload))).isEqualTo(reason);
  }

  @Test
  void acceptsATimestampJustInsideTheFutureLimit() {
    assertThat(decode("kerbside/bin/b1", "{\"ts\":\"2026-11-27T10:05:30Z\"}").readings())
        .hasSize(1);
  }

  @Test
  void rejectsAnEmptyPayload() {
    assertThat(onlyReason(decode("kerbside/bin/b1", ""))).isEqualTo(RejectionReason.EMPTY_MESSAGE);
  }

  @Test
  void rejectsPayloadsOverTheSizeLimitWithoutParsingThem() {
    DecodedMessage m = decode("kerbside/bin/b1", "{\"x\":\"" + "a".repeat(2000) + "\"}");
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.PAYLOAD_TOO_LARGE);
    assertThat(m.rejections().get(0).detail()).contains("limit 1024");
  }

  @Test
  void rejectsJsonNestedTooDeep() {
    assertThat(onlyReason(decode("kerbside/bin/b1", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}")))
        .isEqualTo(RejectionReason.NESTING_TOO_DEEP);
  }

  @ParameterizedTest
  @CsvSource({
    "kerbside/lamp/l1",
    "kerbside/bin/has space",
    "kerbside/bin/",
    "bin",
    "kerbside/bin/" + "x" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  })
  void rejectsTopicsThatDoNotNameAKindAndAValidDevice(String topic) {
    assertThat(onlyReason(decode(topic, "{\"fill_pct\":1}"))).isEqualTo(RejectionReason.BAD_TOPIC);
  }

  @ParameterizedTest
  @CsvSource({
    "63.5",
    "0.1",
    "99.99999999999999",
    "1e-7",
    "2.2250738585072011e-308",
    "4.9e-324",
    "12.345678901234567890123",
    "-0.0",
    "3.6100000000000000532907051820075"
  })
  void readsDecimalNumbersAsDoubleParseDoubleDoes(String number) {
    Reading r = decode("kerbside/bin/b1", "{\"temp_c\":" + number + "}").readings().get(0);
    assertThat(r.value(Metric.TEMP_C)).isEqualTo(Double.parseDouble(number));
  }

  @Test
  void treatsNullAsAbsent() {
    Reading r = decode("kerbside/bin/b1", "{\"fill_pct\":null,\"temp_c\":3}").readings().get(0);
    assertThat(r.has(Metric.FILL_PCT)).isFalse();
    assertThat(r.value(Metric.TEMP_C)).isEqualTo(3.0);
  }
}
