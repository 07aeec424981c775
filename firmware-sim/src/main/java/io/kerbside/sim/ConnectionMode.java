package io.kerbside.sim;

import java.util.Locale;
import java.util.Optional;

/** How simulated devices share MQTT connections. */
public enum ConnectionMode {
  /**
   * A few connections (a gateway or a network server forwarding for many devices); device {@code d}
   * always uses connection {@code d % n}, so each device's messages stay in order.
   */
  SHARED,
  /**
   * One connection per device, as cellular devices connect. Each connection costs the simulator
   * three threads and the broker a socket: meant for up to a few thousand devices.
   */
  PER_DEVICE;

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<ConnectionMode> fromCode(String code) {
    String wanted = code == null ? "" : code.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (ConnectionMode m : values()) {
      if (m.code().equals(wanted)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
