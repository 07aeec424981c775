package io.kerbside.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OffsetTimestampsTest {

  /** What the formatter alone makes of {@code text}: the reference the fast path must equal. */
  private static Instant formatter(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static void agreesWithTheFormatter(String text) {
    Instant expected = formatter(text);
    assertThat(OffsetTimestamps.parse(text)).as(text).isEqualTo(expected);
    char[] padded = ("xx" + text + "yy").toCharArray();
    assertThat(OffsetTimestamps.parse(padded, 2, text.length())).as(text).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-27T10:00:00Z",
        "2026-11-27T10:00:00.123Z",
        "2026-11-27T10:00:00.1Z",
        "2026-11-27T10:00:00.123456Z",
        "2026-11-27T10:00:00.123456789Z",
        "2026-11-27T11:00:00+01:00",
        "2026-11-27T05:30:00.5-04:30",
        "2024-02-29T23:59:59.999+17:59",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59-00:00",
        "1969-12-31T23:59:59.999999999Z",
      })
  void readsTheCommonShapeAsTheFormatterDoes(String text) {
    assertThat(OffsetTimestamps.parseCommon(text)).isNotNull();
    agreesWithTheFormatter(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "yesterday",
        "2026-11-27T10:00:00",
        "2026-11-27 10:00:00Z",
        "2026-11-27t10:00:00z",
        "2026-11-27t10:00:00Z",
        "2026-11-27T10:00Z",
        "2026-11-27T10:00:00.Z",
        "2026-11-27T10:00:00.1234567890Z",
        "2026-02-29T10:00:00Z",
        "2026-04-31T10:00:00Z",
        "2026-13-01T10:00:00Z",
        "2026-00-01T10:00:00Z",
        "2026-11-00T10:00:00Z",
        "2026-11-27T24:00:00Z",
        "2026-11-27T10:60:00Z",
        "2026-11-27T10:00:60Z",
        "2026-11-27T10:00:00+18:00",
        "2026-11-27T10:00:00-18:00",
        "2026-11-27T10:00:00+18:01",
        "2026-11-27T10:00:00+01:60",
        "2026-11-27T10:00:00+0100",
        "2026-11-27T10:00:00+01",
        "2026-11-27T10:00:00+01:00:30",
        "2026-11-27T10:00:00Z ",
        "+12026-11-27T10:00:00Z",
        "-2026-11-27T10:00:00Z",
        "2026-11-27T10:00:00\u0661Z",
        "\u0662\u0660\u0662\u0666-11-27T10:00:00Z",
        "2026-11-27T10:00:00[Europe/London]",
        "2026-11-27T10:00:00+01:00[Europe/Paris]",
      })
  void leavesEverythingElseToTheFormatter(String text) {
    agreesWithTheFormatter(text);
  }

  @Test
  void agreesWithTheFormatterOnRandomAndMutatedTimestamps() {
    Random random = new Random(20261206);
    String alphabet = "0123456789-+:.TZtz ";
    for (int n = 0; n < 50_000; n++) {
      StringBuilder sb =
          new StringBuilder(
              String.format(
                  "%04d-%02d-%02dT%02d:%02d:%02d",
                  random.nextInt(10_000),
                  random.nextInt(14),
                  random.nextInt(33),
                  random.nextInt(26),
                  random.nextInt(62),
                  random.nextInt(62)));
      if (random.nextBoolean()) {
        sb.append('.');
        int digits = random.nextInt(11);
        for (int d = 0; d < digits; d++) {
          sb.append((char) ('0' + random.nextInt(10)));
        }
      }
      switch (random.nextInt(3)) {
        case 0 -> sb.append('Z');
        case 1 ->
            sb.append(random.nextBoolean() ? '+' : '-')
                .append(String.format("%02d:%02d", random.nextInt(20), random.nextInt(62)));
        default -> {}
      }
      if (random.nextInt(4) == 0) {
        int at = random.nextInt(sb.length());
        sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
      }
      agreesWithTheFormatter(sb.toString());
    }
  }
}
