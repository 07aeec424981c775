package io.kerbside.sim.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NativePayloadWriterTest {
  private static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\":(\"[^\"]*\"|[^,}]+)");
  private static final long TS_MS = Instant.parse("2026-11-27T10:00:00.123Z").toEpochMilli();

  @Test
  void writesABinReadingInTheNativeFormat() {
    String json = write(TimestampFormat.ISO_8601, DeviceKind.BIN, 42, 1042, TS_MS);

    assertThat(json)
        .startsWith("{\"ts\":\"2026-11-27T10:00:00.123Z\",\"seq\":1042,\"fill_pct\":")
        .endsWith("}");
    assertThat(fields(json).keySet())
        .containsExactly("ts", "seq", "fill_pct", "temp_c", "tilt_deg", "battery_v");
  }

  @Test
  void writesEpochMillisecondsAsANumber() {
    String json = write(TimestampFormat.EPOCH_MILLIS, DeviceKind.BIN, 0, 1, TS_MS);

    assertThat(json).startsWith("{\"ts\":" + TS_MS + ",\"seq\":1,");
  }

  @Test
  void writesIsoTimestampsWithThreeDigitMillisecondsAcrossSecondBoundaries() {
    NativePayloadWriter writer = new NativePayloadWriter(TimestampFormat.ISO_8601);
    long second = Instant.parse("2026-11-27T10:00:59Z").toEpochMilli();

    assertThat(ts(writer, second + 999)).isEqualTo("\"2026-11-27T10:00:59.999Z\"");
    assertThat(ts(writer, second + 1_000)).isEqualTo("\"2026-11-27T10:01:00.000Z\"");
    assertThat(ts(writer, second + 1_007)).isEqualTo("\"2026-11-27T10:01:00.007Z\"");
    assertThat(ts(writer, second + 1_070)).isEqualTo("\"2026-11-27T10:01:00.070Z\"");
    assertThat(ts(writer, second)).isEqualTo("\"2026-11-27T10:00:59.000Z\"");
  }

  @Test
  void keepsEveryMetricOfEveryKindInsideTheRangeKerbsideAccepts() {
    for (DeviceKind kind : DeviceKind.values()) {
      NativePayloadWriter writer = new NativePayloadWriter(TimestampFormat.ISO_8601);
      for (int device = 0; device < 300; device += 7) {
        for (long seq = 1; seq < 5_000; seq += 97) {
          Map<String, String> fields =
              fields(new String(writer.write(kind, device, seq, TS_MS), StandardCharsets.US_ASCII));
          assertThat(fields.get("seq")).isEqualTo(Long.toString(seq));
          fields.forEach(
              (name, value) -> {
                if (name.equals("ts") || name.equals("seq")) {
                  return;
                }
                Metric metric = Metric.fromCode(name).orElseThrow();
                assertThat(metric.appliesTo(kind)).as("%s on a %s", name, kind).isTrue();
                double v =
                    metric.isFlag()
                        ? (Boolean.parseBoolean(value) ? 1 : 0)
                        : Double.parseDouble(value);
                assertThat(metric.inRange(v)).as("%s = %s", name, value).isTrue();
              });
        }
      }
    }
  }

  @Test
  void writesNegativeValuesWithTheirSign() {
    // Pavement device 0 at seq 1 has a surface temperature of -4.9 degrees.
    String json = write(TimestampFormat.ISO_8601, DeviceKind.PAVEMENT, 0, 1, TS_MS);

    assertThat(fields(json)).containsEntry("surface_temp_c", "-4.9");
  }

  private static String write(
      TimestampFormat format, DeviceKind kind, int device, long seq, long tsMs) {
    return new String(
        new NativePayloadWriter(format).write(kind, device, seq, tsMs), StandardCharsets.US_ASCII);
  }

  private static String ts(NativePayloadWriter writer, long tsMs) {
    return fields(new String(writer.write(DeviceKind.BIN, 0, 1, tsMs), StandardCharsets.US_ASCII))
        .get("ts");
  }

  private static Map<String, String> fields(String json) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      fields.put(m.group(1), m.group(2));
    }
    return fields;
  }
}
