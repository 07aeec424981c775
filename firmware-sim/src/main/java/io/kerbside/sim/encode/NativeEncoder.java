package io.kerbside.sim.encode;

import io.kerbside.core.Metric;
import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Kerbside's native format: topic {@code <prefix>/<kind>/<device-id>}, payload one JSON object such
 * as {@code
 * {"ts":"2026-01-14T16:05:07.412Z","seq":7,"fill_pct":63.5,"distance_mm":395,"temp_c":4.2,
 * "tilt_deg":1.3,"battery_v":3.58}}: {@code ts} in ISO-8601 UTC with milliseconds, {@code seq},
 * then the reported metrics in {@link Metric} order, each rounded to the resolution its sensor has.
 *
 * <p>Not thread-safe: it reuses a buffer.
 */
final class NativeEncoder extends JsonTextEncoder {
  private static final DateTimeFormatter LOCAL_TS =
      DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final int[] DECIMALS = new int[Metric.values().length];

  static {
    Arrays.fill(DECIMALS, 1);
    DECIMALS[Metric.DISTANCE_MM.ordinal()] = 0;
    DECIMALS[Metric.BATTERY_V.ordinal()] = 2;
    DECIMALS[Metric.DIM_PCT.ordinal()] = 0;
    DECIMALS[Metric.CURRENT_A.ordinal()] = 3;
    DECIMALS[Metric.BURN_HOURS.ordinal()] = 2;
    DECIMALS[Metric.LUX.ordinal()] = 0;
    DECIMALS[Metric.WATER_FILM_MM.ordinal()] = 2;
    DECIMALS[Metric.VIBRATION_G.ordinal()] = 3;
    DECIMALS[Metric.CRACK_MM.ordinal()] = 2;
  }

  private final StringBuilder sb = new StringBuilder(256);
  private long cachedDay = Long.MIN_VALUE;
  private String cachedDayText = "";

  @Override
  public OutputFormat format() {
    return OutputFormat.NATIVE;
  }

  @Override
  public String topic(String topicPrefix, Asset asset) {
    return topicPrefix + "/" + asset.kind().code() + "/" + asset.deviceId().value();
  }

  @Override
  String notJson(SimReading reading) {
    return "AT+ERR=0x1F seq=" + reading.seq() + " sensor timeout\r\n";
  }

  @Override
  String write(SimReading reading, Malformation how) {
    sb.setLength(0);
    sb.append("{\"ts\":\"");
    if (how == Malformation.BAD_TIMESTAMP) {
      sb.append(LOCAL_TS.format(reading.at()));
    } else {
      appendTimestamp(reading.at());
    }
    sb.append("\",\"seq\":").append(reading.seq());
    Metric first = null;
    for (Metric m : Metric.values()) {
      double v = reading.value(m);
      if (Double.isNaN(v) || !m.appliesTo(reading.asset().kind())) {
        continue;
      }
      sb.append(",\"").append(m.code()).append("\":");
      boolean quoted = how == Malformation.WRONG_TYPE && first == null;
      if (first == null) {
        first = m;
      }
      if (quoted) {
        sb.append('"');
      }
      appendValue(m, v);
      if (quoted) {
        sb.append('"');
      }
    }
    if (how == Malformation.DUPLICATE_FIELD && first != null) {
      sb.append(",\"").append(first.code()).append("\":");
      appendValue(first, reading.value(first));
    }
    return sb.append('}').toString();
  }

  /** Appends {@code at} as {@code 2026-01-14T16:05:07.412Z}, formatting each day's date once. */
  private void appendTimestamp(Instant at) {
    long ms = at.toEpochMilli();
    long day = Math.floorDiv(ms, 86_400_000L);
    if (day != cachedDay) {
      cachedDay = day;
      cachedDayText = LocalDate.ofEpochDay(day) + "T";
    }
    int msOfDay = (int) Math.floorMod(ms, 86_400_000L);
    sb.append(cachedDayText);
    two(msOfDay / 3_600_000);
    sb.append(':');
    two(msOfDay / 60_000 % 60);
    sb.append(':');
    two(msOfDay / 1_000 % 60);
    sb.append('.');
    int milli = msOfDay % 1_000;
    sb.append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10));
    sb.append((char) ('0' + milli % 10)).append('Z');
  }

  private void two(int n) {
    sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
  }

  private void appendValue(Metric m, double v) {
    appendValue(sb, m, v);
  }

  /** Appends {@code m}'s value {@code v} as its sensor reports it: a flag as a boolean. */
  static void appendValue(StringBuilder sb, Metric m, double v) {
    if (m.isFlag()) {
      sb.append(v != 0);
    } else {
      appendFixed(sb, v, DECIMALS[m.ordinal()]);
    }
  }

  /**
   * Appends the reported metrics of {@code reading} as JSON fields {@code "code":value} separated
   * by commas, in {@link Metric} order; with {@code duplicateFirst} the first is written twice.
   *
   * @return whether any field was written
   */
  static boolean appendMetricFields(StringBuilder sb, SimReading reading, boolean duplicateFirst) {
    Metric first = null;
    for (Metric m : Metric.values()) {
      double v = reading.value(m);
      if (Double.isNaN(v) || !m.appliesTo(reading.asset().kind())) {
        continue;
      }
      if (first != null) {
        sb.append(',');
      } else {
        first = m;
      }
      sb.append('"').append(m.code()).append("\":");
      appendValue(sb, m, v);
    }
    if (duplicateFirst && first != null) {
      sb.append(",\"").append(first.code()).append("\":");
      appendValue(sb, first, reading.value(first));
    }
    return first != null;
  }

  /** Appends {@code v} rounded to {@code decimals} places, without exponent notation. */
  static void appendFixed(StringBuilder sb, double v, int decimals) {
    long scale = 1;
    for (int i = 0; i < decimals; i++) {
      scale *= 10;
    }
    long scaled = Math.round(v * scale);
    if (scaled < 0) {
      sb.append('-');
      scaled = -scaled;
    }
    sb.append(scaled / scale);
    if (decimals > 0) {
      sb.append('.');
      String fraction = Long.toString(scaled % scale);
      for (int i = fraction.length(); i < decimals; i++) {
        sb.append('0');
      }
      sb.append(fraction);
    }
  }
}
