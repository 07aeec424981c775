package io.kerbside.app;

import java.util.Locale;
import java.util.Optional;

/** The parts of Kerbside that one process can run, alone or together. */
public enum Role {
  INGEST,
  ANALYTICS;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromCode(String code) {
    for (Role r : values()) {
      if (r.code().equals(code.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
