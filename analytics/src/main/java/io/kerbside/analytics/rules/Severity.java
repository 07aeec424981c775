package io.kerbside.analytics.rules;

import java.util.Locale;
import java.util.Optional;

/** How urgent an alert is; ordered from most to least urgent. */
public enum Severity {
  CRITICAL,
  MAJOR,
  MINOR,
  WARNING;

  /** The lower-case name used in configuration, the database and the REST API. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this is at least as urgent as {@code other}. */
  public boolean atLeast(Severity other) {
    return ordinal() <= other.ordinal();
  }

  public static Optional<Severity> fromCode(String code) {
    for (Severity s : values()) {
      if (s.code().equals(code)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
