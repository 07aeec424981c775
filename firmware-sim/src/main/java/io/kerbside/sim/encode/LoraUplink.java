package io.kerbside.sim.encode;

import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * What the LoRaWAN formats share: the identifiers a network server gives a simulated device and the
 * radio metadata of one uplink. Everything is derived from the device id and the reading, so the
 * same run sends the same bytes. Stateless.
 */
final class LoraUplink {
  /** The EU868 default channels, in Hz. */
  private static final long[] CHANNELS_HZ = {
    868_100_000,
    868_300_000,
    868_500_000,
    867_100_000,
    867_300_000,
    867_500_000,
    867_700_000,
    867_900_000
  };

  /** How a device with a wrong clock writes the time: local, without an offset. */
  static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm:ss").withZone(ZoneOffset.UTC);

  private static final String GATEWAY_EUI_PREFIX = "a84041fffe";

  private LoraUplink() {}

  /** The profile name of an asset's kind, as the built-in profiles name it. */
  static String profileName(Asset asset) {
    return "kerbside-sim-" + asset.kind().code();
  }

  /** A 64-bit FNV-1a hash of {@code text}. */
  static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The DevEUI of {@code deviceId}: 16 lower-case hex digits, the same for every run. */
  static String devEui(String deviceId) {
    return String.format(Locale.ROOT, "%016x", hash("dev-eui:" + deviceId));
  }

  /** The device address of the device's current session: 8 hex digits. */
  static String devAddr(String deviceId) {
    // 0x26 is the NetID prefix The Things Network hands out in Europe
    return String.format(Locale.ROOT, "26%06x", hash("dev-addr:" + deviceId) & 0xff_ffff);
  }

  /** A stable UUID for {@code name}. */
  static UUID uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }

  /** The application payload as the device sent it: a small binary frame, base64. */
  static String frmPayload(SimReading r) {
    byte[] frame = new byte[8];
    long seq = r.seq();
    long ms = r.at().toEpochMilli();
    for (int i = 0; i < 4; i++) {
      frame[i] = (byte) (seq >>> (8 * (3 - i)));
      frame[4 + i] = (byte) (ms >>> (8 * (3 - i)));
    }
    return Base64.getEncoder().encodeToString(frame);
  }

  /** The reading's time to the millisecond, RFC 3339 in UTC. */
  static String time(Instant at) {
    return Instant.ofEpochMilli(at.toEpochMilli()).toString();
  }

  /** The radio side of one uplink as one gateway heard it. */
  record Rx(
      String gatewayId,
      String gatewayEui,
      int rssiDbm,
      double snrDb,
      int spreadingFactor,
      long frequencyHz,
      int channel,
      long timestampUs) {}

  /**
   * The reception of {@code r}: the device's distance from its gateway fixes its usual signal and
   * spreading factor, each uplink varies by a few dB and hops channel.
   */
  static Rx rx(SimReading r) {
    String id = r.asset().deviceId().value();
    long device = hash("radio:" + id);
    int distance = (int) Math.floorMod(device, 50L);
    long uplink = hash(id + "#" + r.seq());
    int jitter = (int) Math.floorMod(uplink, 7L) - 3;
    int rssi = -68 - distance + jitter;
    // SNR falls with the signal; a quarter-dB resolution is what gateways report
    double snr = Math.round((9.5 - distance * 0.35 + jitter * 0.5) * 4) / 4.0;
    int sf = 7 + distance / 10;
    int channel = (int) Math.floorMod(uplink >>> 8, (long) CHANNELS_HZ.length);
    int gateway = (int) Math.floorMod(device >>> 16, 3L) + 1;
    long timestampUs = Math.floorMod(r.at().toEpochMilli() * 1000, 1L << 32);
    return new Rx(
        "kerbside-gw-" + gateway,
        String.format(Locale.ROOT, "%s%06x", GATEWAY_EUI_PREFIX, gateway),
        rssi,
        snr,
        sf,
        CHANNELS_HZ[channel],
        channel,
        timestampUs);
  }

  /** Appends {@code text} as a JSON string; the simulator's texts need no escapes but quotes. */
  static void appendQuoted(StringBuilder sb, String text) {
    sb.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  /** Appends {@code v} without a trailing {@code .0} when it is whole. */
  static void appendNumber(StringBuilder sb, double v) {
    if (v == Math.rint(v)) {
      sb.append((long) v);
    } else {
      sb.append(v);
    }
  }
}
