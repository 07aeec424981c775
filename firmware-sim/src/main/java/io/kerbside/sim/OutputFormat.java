package io.kerbside.sim;

import java.util.Locale;
import java.util.Optional;

/**
 * The payload format the simulated devices publish, each written by an encoder behind {@link
 * io.kerbside.sim.encode.ReadingEncoder}.
 */
public enum OutputFormat {
  /** Kerbside's native JSON on {@code <prefix>/<kind>/<device-id>} (see the README). */
  NATIVE,
  /**
   * The Things Stack v3 uplinks on {@code v3/kerbside-sim-<kind>@ttn/devices/<device-id>/up}, the
   * application selecting the built-in profile {@code kerbside-sim-<kind>}.
   */
  TTN,
  /**
   * ChirpStack v4 up events on {@code application/<application-id>/device/<dev-eui>/event/up}, the
   * device profile name selecting the built-in profile {@code kerbside-sim-<kind>}.
   */
  CHIRPSTACK,
  /** SenML JSON packs (RFC 8428) on {@code <prefix>/<kind>/<device-id>}. */
  SENML;

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<OutputFormat> fromCode(String code) {
    for (OutputFormat f : values()) {
      if (f.code().equalsIgnoreCase(code == null ? "" : code.trim())) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
