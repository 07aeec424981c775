package io.kerbside.worklists;

import java.util.Locale;

/**
 * How many people walk a pavement section, from its registry attributes: a footway ({@code
 * pavement_use}) on a high street is {@link #HIGH}, on a main road {@link #MEDIUM}, elsewhere
 * {@link #NORMAL}; a carriageway is {@link #LOW} (crews grit footways for walkers first); {@link
 * #UNKNOWN} when the registry says neither.
 */
public enum Footfall {
  HIGH,
  MEDIUM,
  NORMAL,
  LOW,
  UNKNOWN;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The class of a section with these attributes; either may be null. */
  public static Footfall of(String pavementUse, String streetType) {
    if ("carriageway".equals(pavementUse)) {
      return LOW;
    }
    if (streetType == null) {
      return "footway".equals(pavementUse) ? NORMAL : UNKNOWN;
    }
    return switch (streetType) {
      case "high-street" -> HIGH;
      case "main-road" -> MEDIUM;
      default -> NORMAL;
    };
  }
}
