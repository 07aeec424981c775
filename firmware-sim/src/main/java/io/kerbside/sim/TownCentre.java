package io.kerbside.sim;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Where the simulated town lies: the point its streets spread out from, and the time zone its
 * residents live by (bin rhythms, lamp dimming profiles and collection rounds follow local time).
 *
 * @param name shown in summaries and exports, e.g. {@code Cambridge}
 * @param latitude degrees north, between -66 and 66 (beyond the polar circles lamps would have no
 *     dusk on some days)
 * @param longitude degrees east, between -180 and 180
 * @param zone the local time zone
 */
public record TownCentre(String name, double latitude, double longitude, ZoneId zone) {
  /** Market Square, Cambridge (UK). */
  public static final TownCentre DEFAULT =
      new TownCentre("Cambridge", 52.2053, 0.1218, ZoneId.of("Europe/London"));

  public TownCentre {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(zone, "zone");
    if (!(latitude >= -66 && latitude <= 66)) {
      throw new IllegalArgumentException(
          "centre latitude must be between -66 and 66, got " + latitude);
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException(
          "centre longitude must be between -180 and 180, got " + longitude);
    }
  }
}
