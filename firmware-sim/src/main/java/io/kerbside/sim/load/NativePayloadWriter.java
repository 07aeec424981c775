package io.kerbside.sim.load;

import io.kerbside.core.DeviceKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes native-format payloads, for a bin for example:
 *
 * <pre>{@code
 * {"ts":"2026-11-27T10:00:00.123Z","seq":1042,"fill_pct":63.5,"temp_c":11.2,
 *  "tilt_deg":2.0,"battery_v":3.61}
 * }</pre>
 *
 * <p>(on one line). The metric values are a cheap deterministic function of device and seq, always
 * inside the ranges Kerbside accepts for the device's kind.
 *
 * <p>Not thread-safe (it reuses a buffer and caches the last second it formatted): one per thread.
 */
final class NativePayloadWriter {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final TimestampFormat timestampFormat;
  private final StringBuilder sb = new StringBuilder(160);
  private long cachedSecond = Long.MIN_VALUE;
  private String cachedSecondText = "";

  NativePayloadWriter(TimestampFormat timestampFormat) {
    this.timestampFormat = timestampFormat;
  }

  byte[] write(DeviceKind kind, int device, long seq, long timestampMs) {
    sb.setLength(0);
    sb.append("{\"ts\":");
    if (timestampFormat == TimestampFormat.EPOCH_MILLIS) {
      sb.append(timestampMs);
    } else {
      sb.append('"');
      appendIso(timestampMs);
      sb.append('"');
    }
    sb.append(",\"seq\":").append(seq);
    switch (kind) {
      case BIN -> {
        field("fill_pct", Math.floorMod(device * 37L + seq * 3, 1000), 1);
        field("temp_c", 50 + Math.floorMod(device * 7L + seq, 250), 1);
        field("tilt_deg", Math.floorMod(device, 40), 1);
        field("battery_v", battery(device, seq), 2);
      }
      case STREETLIGHT -> {
        sb.append(",\"lamp_on\":").append(seq % 2 == 0);
        field("dim_pct", Math.floorMod(device * 11L + seq * 5, 1001), 1);
        field("power_w", 200 + Math.floorMod(device * 17L + seq, 1500), 1);
        field("voltage_v", 2250 + Math.floorMod(device + seq, 100), 1);
      }
      case PAVEMENT -> {
        field("surface_temp_c", -50 + Math.floorMod(device * 7L + seq, 400), 1);
        field("air_temp_c", -30 + Math.floorMod(device * 3L + seq, 300), 1);
        field("moisture_pct", Math.floorMod(device * 19L + seq * 7, 1001), 1);
        field("battery_v", battery(device, seq), 2);
      }
    }
    sb.append('}');
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** 3.30 V to 4.19 V in hundredths, falling slowly with seq. */
  private static long battery(int device, long seq) {
    return 330 + Math.floorMod(device * 13L - seq / 1000, 90);
  }

  private void appendIso(long timestampMs) {
    long second = Math.floorDiv(timestampMs, 1000);
    if (second != cachedSecond) {
      cachedSecond = second;
      cachedSecondText = SECONDS.format(Instant.ofEpochSecond(second));
    }
    int ms = Math.floorMod(timestampMs, 1000);
    sb.append(cachedSecondText).append('.');
    if (ms < 100) {
      sb.append('0');
    }
    if (ms < 10) {
      sb.append('0');
    }
    sb.append(ms).append('Z');
  }

  /** Appends {@code ,"name":value} where value is {@code scaled / 10^decimals}, written exactly. */
  private void field(String name, long scaled, int decimals) {
    sb.append(",\"").append(name).append("\":");
    if (scaled < 0) {
      sb.append('-');
      scaled = -scaled;
    }
    long unit = decimals == 2 ? 100 : 10;
    long fraction = scaled % unit;
    sb.append(scaled / unit).append('.');
    if (decimals == 2 && fraction < 10) {
      sb.append('0');
    }
    sb.append(fraction);
  }
}
