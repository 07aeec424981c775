package io.kerbside.core;

import java.util.Locale;
import java.util.Optional;

/** The kinds of street asset a sensor device can report on. */
public enum DeviceKind {
  BIN,
  STREETLIGHT,
  PAVEMENT;

  /** The lower-case name used in topics, the database and the REST API. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link #code()}; empty for anything else. */
  public static Optional<DeviceKind> fromCode(String code) {
    for (DeviceKind kind : values()) {
      if (kind.code().equals(code)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
