package io.kerbside.ingest.decode;

import static io.kerbside.ingest.decode.Fixtures.message;
import static io.kerbside.ingest.decode.Fixtures.onlyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenmlDecoderTest {
  private final SenmlDecoder decoder = new SenmlDecoder(Fixtures.LIMITS, Fixtures.profiles());

  private DecodedMessage decode(String topic, String fixture) {
    return decoder.decode(message(PayloadFormat.SENML, topic, "senml/" + fixture));
  }

  private DecodedMessage decodeText(String topic, String payload) {
    return decoder.decode(
        new RawMessage(
            Fixtures.COUNCIL,
            PayloadFormat.SENML,
            topic,
            payload.getBytes(StandardCharsets.UTF_8),
            Fixtures.NOW));
  }

  @Test
  void groupsTheRfcExamplesRecordsByResolvedTime() {
    DecodedMessage m = decode("kerbside/streetlight/lamp-9", "rfc8428-multiple-datapoints.json");
    assertThat(m.rejections()).isEmpty();
    List<Reading> readings = m.readings();
    assertThat(readings).hasSize(6);
    Instant base = Instant.ofEpochSecond(1_795_233_600L);
    Reading first = readings.get(0);
    assertThat(first.device()).isEqualTo(new DeviceKey(7, DeviceKind.STREETLIGHT, "lamp-9"));
    assertThat(first.at()).isEqualTo(base);
    assertThat(first.value(Metric.VOLTAGE_V)).isEqualTo(120.1);
    assertThat(first.value(Metric.CURRENT_A)).isEqualTo(1.7);
    assertThat(readings.get(1).at()).isEqualTo(base.minusSeconds(5));
    assertThat(readings.get(1).value(Metric.CURRENT_A)).isEqualTo(1.2);
    assertThat(readings.get(1).has(Metric.VOLTAGE_V)).isFalse();
  }

  @Test
  void resolvesRelativeTimesAgainstReceiptAndConvertsUnits() {
    DecodedMessage m = decode("kerbside/bin/bin-0042", "bin-relative.json");
    assertThat(m.rejections()).isEmpty();
    assertThat(m.readings()).hasSize(2);
    Reading now = m.readings().get(0);
    assertThat(now.at()).isEqualTo(Fixtures.NOW);
    assertThat(now.seq()).isEqualTo(Reading.NO_SEQ);
    assertThat(now.value(Metric.DISTANCE_MM)).isCloseTo(440, within(1e-9));
    assertThat(now.value(Metric.TEMP_C)).isEqualTo(11.25);
    assertThat(now.value(Metric.BATTERY_V)).isEqualTo(3.61);
    assertThat(now.extraJson()).isEqualTo("{\"senml\":{\"bin-0042:lid\":{\"vs\":\"closed\"}}}");
    Reading earlier = m.readings().get(1);
    assertThat(earlier.at()).isEqualTo(Fixtures.NOW.minusSeconds(900));
    assertThat(earlier.value(Metric.DISTANCE_MM)).isCloseTo(520, within(1e-9));
  }

  @Test
  void mapsBooleansToTheOnlyFlagAndScalesKilowattHours() {
    DecodedMessage m = decode("kerbside/streetlight/lamp-7", "streetlight-booleans.json");
    assertThat(m.rejections()).isEmpty();
    Reading r = m.readings().get(0);
    assertThat(r.at()).isEqualTo(Instant.ofEpochSecond(1_795_773_600L));
    assertThat(r.value(Metric.LAMP_ON)).isEqualTo(1);
    assertThat(r.value(Metric.POWER_W)).isEqualTo(24.5);
    assertThat(r.value(Metric.ENERGY_WH)).isCloseTo(183_200.5, within(1e-6));
    assertThat(r.value(Metric.LUX)).isEqualTo(3.5);
  }

  @Test
  void judgesEachRecordOnItsOwn() {
    DecodedMessage m = decode("kerbside/pavement/p1", "broken.json");
    assertThat(m.rejections())
        .extracting(Rejection::reason)
        .containsExactly(
            RejectionReason.INVALID_NAME,
            RejectionReason.WRONG_TYPE,
            RejectionReason.OUT_OF_RANGE,
            RejectionReason.INVALID_NAME,
            RejectionReason.MISSING_FIELD);
    assertThat(m.rejections().get(0).detail()).startsWith("record 0: no name");
    assertThat(m.readings()).hasSize(1);
    assertThat(m.readings().get(0).value(Metric.AIR_TEMP_C)).isEqualTo(4.5);
  }

  @Test
  void rejectsATimeThatAddsUpToNoNumber() {
    DecodedMessage m =
        decodeText(
            "kerbside/streetlight/l1",
            "[{\"bt\":1e400,\"t\":-1e400,\"n\":\"lamp_on\",\"vb\":true}]");
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.BAD_TIMESTAMP);
    assertThat(m.rejections().get(0).detail()).isEqualTo("record 0: bt + t is not a number");
  }

  @Test
  void keepsAnAmbiguousUnitInExtraRatherThanGuessing() {
    DecodedMessage m =
        decodeText("kerbside/pavement/p1", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":3}]");
    Reading r = m.readings().get(0);
    assertThat(r.has(Metric.SURFACE_TEMP_C)).isFalse();
    assertThat(r.has(Metric.AIR_TEMP_C)).isFalse();
    assertThat(r.extraJson()).isEqualTo("{\"senml\":{\"temp\":{\"v\":3.0,\"u\":\"Cel\"}}}");
  }

  @Test
  void rejectsAMetricGivenTwiceForOneTime() {
    DecodedMessage m =
        decodeText(
            "kerbside/bin/b1",
            "[{\"n\":\"fill_pct\",\"v\":10},{\"n\":\"fill_pct\",\"u\":\"%\",\"v\":11}]");
    assertThat(m.readings()).hasSize(1);
    assertThat(m.rejections())
        .extracting(Rejection::reason)
        .containsExactly(RejectionReason.MALFORMED_JSON);
  }

  @Test
  void rejectsAUnitThatDoesNotFitTheNamedMetric() {
    DecodedMessage m = decodeText("kerbside/bin/b1", "[{\"n\":\"fill_pct\",\"u\":\"V\",\"v\":10}]");
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.WRONG_TYPE);
  }

  /** 2026-11-21T04:00:00Z, six days before {@link Fixtures#NOW}. */
  private static final long NOV_21 = 1_795_233_600L;

  private static String pack(String firstRecordExtra, String secondRecordExtra, String third) {
    return "[{\"bn\":\"urn:dev:kerbside:b1:\",\"bt\":"
        + NOV_21
        + firstRecordExtra
        + ",\"n\":\"fill_pct\",\"u\":\"%\",\"v\":40},"
        + "{\"n\":\"temp_c\",\"u\":\"Cel\",\"t\":-60,\"v\":3"
        + secondRecordExtra
        + "},"
        + third
        + "]";
  }

  @Test
  void rejectsTheWholePackWhenItsFirstRecordHasANewerVersion() {
    DecodedMessage m =
        decodeText(
            "kerbside/bin/b1",
            pack(",\"bver\":11", "", "{\"n\":\"battery_v\",\"u\":\"V\",\"v\":3.6}"));
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.UNSUPPORTED_VERSION);
    assertThat(m.rejections().get(0).detail())
        .startsWith("record 0: bver 11 ")
        .contains("no record of the pack is used");
  }

  @Test
  void rejectsTheWholePackWhenALaterRecordHasANewerVersion() {
    DecodedMessage m =
        decodeText(
            "kerbside/bin/b1",
            pack("", "", "{\"bver\":11,\"n\":\"battery_v\",\"u\":\"V\",\"v\":3.6}"));
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.UNSUPPORTED_VERSION);
    assertThat(m.rejections().get(0).detail()).startsWith("record 2: bver 11 ");
  }

  @Test
  void rejectsTheWholePackForAMustUnderstandField() {
    DecodedMessage m =
        decodeText(
            "kerbside/bin/b1",
            pack("", ",\"foo_\":1", "{\"n\":\"battery_v\",\"u\":\"V\",\"v\":3.6}"));
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.UNSUPPORTED_VERSION);
    assertThat(m.rejections().get(0).detail())
        .startsWith("record 1: must-understand field 'foo_' ");
  }

  @Test
  void rejectsVersionsThatAreNotPositiveIntegers() {
    for (String bver : List.of("0", "10.5", "\"10\"")) {
      assertThat(onlyReason(decodeText("kerbside/bin/b1", pack(",\"bver\":" + bver, "", "{}"))))
          .as("bver %s", bver)
          .isEqualTo(RejectionReason.UNSUPPORTED_VERSION);
    }
  }

  @Test
  void readsAPackOfTheSupportedVersionWithItsBaseFieldsOnEveryRecord() {
    DecodedMessage m =
        decodeText(
            "kerbside/bin/b1",
            pack(
                ",\"bver\":10",
                "",
                "{\"n\":\"lid\",\"vs\":\"open\"},{\"n\":\"battery_v\",\"v\":3.6}"));
    assertThat(m.rejections()).isEmpty();
    assertThat(m.readings()).hasSize(2);
    Reading atBase = m.readings().get(0);
    assertThat(atBase.at()).isEqualTo(Instant.ofEpochSecond(NOV_21));
    assertThat(atBase.value(Metric.FILL_PCT)).isEqualTo(40);
    assertThat(atBase.value(Metric.BATTERY_V)).isEqualTo(3.6);
    assertThat(atBase.extraJson())
        .isEqualTo("{\"senml\":{\"urn:dev:kerbside:b1:lid\":{\"vs\":\"open\"}}}");
    Reading minuteBefore = m.readings().get(1);
    assertThat(minuteBefore.at()).isEqualTo(Instant.ofEpochSecond(NOV_21 - 60));
    assertThat(minuteBefore.value(Metric.TEMP_C)).isEqualTo(3);
    assertThat(minuteBefore.has(Metric.FILL_PCT)).isFalse();
  }

  private static String roadWeather(String baseName, String surfaceUnit) {
    return "[{\"bn\":\""
        + baseName
        + "\",\"bt\":"
        + NOV_21
        + ",\"n\":\"surface_temp\",\"u\":\""
        + surfaceUnit
        + "\",\"v\":-1.5},"
        + "{\"n\":\"air_temp\",\"u\":\"K\",\"v\":275.15},"
        + "{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":93},"
        + "{\"n\":\"film\",\"v\":0.4}]";
  }

  @Test
  void mapsARoadWeatherStationByTheProfileItsBaseNameSelects() {
    DecodedMessage m =
        decodeText("kerbside/pavement/rw-12", roadWeather("urn:dev:roadwx:0042:", "Cel"));
    assertThat(m.rejections()).isEmpty();
    Reading r = m.readings().get(0);
    assertThat(r.device()).isEqualTo(new DeviceKey(7, DeviceKind.PAVEMENT, "rw-12"));
    assertThat(r.at()).isEqualTo(Instant.ofEpochSecond(NOV_21));
    assertThat(r.value(Metric.SURFACE_TEMP_C)).isEqualTo(-1.5);
    assertThat(r.value(Metric.AIR_TEMP_C)).isCloseTo(2.0, within(1e-9));
    assertThat(r.value(Metric.WATER_FILM_MM)).isEqualTo(0.4);
    assertThat(r.has(Metric.MOISTURE_PCT)).as("%RH of the air is not moisture").isFalse();
    assertThat(r.extraJson())
        .isEqualTo(
            "{\"profile\":\"example-road-weather\","
                + "\"senml\":{\"urn:dev:roadwx:0042:humidity\":{\"v\":93.0,\"u\":\"%RH\"}}}");
  }

  @Test
  void keepsAValueTheProfileMarksAsNotMeasured() {
    DecodedMessage m =
        decodeText(
            "kerbside/pavement/rw-12",
            "[{\"bn\":\"urn:dev:roadwx:1:\",\"n\":\"film\",\"vs\":\"no probe\"}]");
    assertThat(m.rejections()).isEmpty();
    assertThat(m.readings().get(0).has(Metric.WATER_FILM_MM)).isFalse();
    assertThat(m.readings().get(0).extraJson()).contains("\"vs\":\"no probe\"");
  }

  @Test
  void rejectsOnlyTheRecordWhoseUnitIsNotTheProfiles() {
    DecodedMessage m =
        decodeText("kerbside/pavement/rw-12", roadWeather("urn:dev:roadwx:0042:", "%RH"));
    assertThat(m.rejections())
        .extracting(Rejection::reason)
        .containsExactly(RejectionReason.WRONG_TYPE);
    assertThat(m.rejections().get(0).detail())
        .isEqualTo(
            "record 0: urn:dev:roadwx:0042:surface_temp: unit '%RH' does not convert to 'Cel',"
                + " which device profile 'example-road-weather' gives surface_temp");
    Reading r = m.readings().get(0);
    assertThat(r.has(Metric.SURFACE_TEMP_C)).isFalse();
    assertThat(r.value(Metric.AIR_TEMP_C)).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void rejectsAPackWhoseProfileIsOfAnotherKindThanTheTopic() {
    DecodedMessage m = decodeText("kerbside/bin/b1", roadWeather("urn:dev:roadwx:0042:", "Cel"));
    assertThat(onlyReason(m)).isEqualTo(RejectionReason.KIND_MISMATCH);
    assertThat(m.rejections().get(0).detail())
        .isEqualTo(
            "base name 'urn:dev:roadwx:0042:' selects device profile 'example-road-weather'"
                + " of kind pavement, but the topic is of kind bin");
  }

  @Test
  void decodesAPackNoProfileMatchesByItsUnits() {
    DecodedMessage m =
        decodeText("kerbside/pavement/rw-12", roadWeather("urn:dev:roadwy:0042:", "Cel"));
    assertThat(m.rejections()).isEmpty();
    Reading r = m.readings().get(0);
    assertThat(r.has(Metric.SURFACE_TEMP_C)).isFalse();
    assertThat(r.has(Metric.AIR_TEMP_C)).isFalse();
    assertThat(r.value(Metric.MOISTURE_PCT)).isEqualTo(93);
    assertThat(r.extraJson()).doesNotContain("profile").contains("roadwy:0042:surface_temp");
  }

  @Test
  void rejectsRecordsFromTheFuture() {
    assertThat(
            onlyReason(decodeText("kerbside/bin/b1", "[{\"n\":\"fill_pct\",\"t\":3600,\"v\":1}]")))
        .isEqualTo(RejectionReason.FUTURE_TIMESTAMP);
  }

  @Test
  void rejectsAnythingButANonEmptyArrayAndBadTopics() {
    assertThat(onlyReason(decodeText("kerbside/bin/b1", "{\"n\":\"fill_pct\",\"v\":1}")))
        .isEqualTo(RejectionReason.WRONG_TYPE);
    assertThat(onlyReason(decodeText("kerbside/bin/b1", "[]")))
        .isEqualTo(RejectionReason.EMPTY_MESSAGE);
    assertThat(onlyReason(decodeText("kerbside/bin/b1", "[{\"n\":")))
        .isEqualTo(RejectionReason.MALFORMED_JSON);
    assertThat(onlyReason(decodeText("kerbside/tree/t1", "[{\"n\":\"x\",\"v\":1}]")))
        .isEqualTo(RejectionReason.BAD_TOPIC);
  }
}
