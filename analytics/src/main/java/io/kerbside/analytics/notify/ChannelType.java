package io.kerbside.analytics.notify;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of channel; {@link #code()} is the {@code type} in the routes file and a metric tag.
 */
public enum ChannelType {
  WEBHOOK,
  MQTT,
  EMAIL,
  OPEN311;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ChannelType> fromCode(String code) {
    for (ChannelType t : values()) {
      if (t.code().equals(code)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
