package io.kerbside.sim;

import java.util.Locale;
import java.util.Optional;

/**
 * The payload format the simulated devices publish. Only Kerbside's native format exists today; The
 * Things Stack v3 uplinks, ChirpStack v4 events and SenML are planned as further encoders behind
 * {@link io.kerbside.sim.encode.ReadingEncoder}.
 */
public enum OutputFormat {
  /** Kerbside's native JSON on {@code <prefix>/<kind>/<device-id>} (see the README). */
  NATIVE;

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
