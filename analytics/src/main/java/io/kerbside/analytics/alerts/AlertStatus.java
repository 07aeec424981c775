package io.kerbside.analytics.alerts;

import java.util.Locale;
import java.util.Optional;

/** Where an alert is in its life: open, then acknowledged by a person, then resolved. */
public enum AlertStatus {
  OPEN,
  ACKNOWLEDGED,
  RESOLVED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isActive() {
    return this != RESOLVED;
  }

  public static Optional<AlertStatus> fromCode(String code) {
    for (AlertStatus s : values()) {
      if (s.code().equals(code)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
