package io.kerbside.sim.town;

import java.util.Objects;

/**
 * A streetlight with a controller that reports lamp state and metering.
 *
 * @param lampType light source
 * @param ratedPowerW power drawn at full output, watts
 * @param dimming how its output follows the time of night
 * @param mountingHeightM height of the lantern, metres
 */
public record StreetlightDetails(
    LampType lampType, double ratedPowerW, DimmingProfile dimming, double mountingHeightM)
    implements AssetDetails {
  public StreetlightDetails {
    Objects.requireNonNull(lampType, "lampType");
    Objects.requireNonNull(dimming, "dimming");
    if (!(ratedPowerW > 0 && ratedPowerW <= 1_000)) {
      throw new IllegalArgumentException("rated power must be 0 to 1000 W, got " + ratedPowerW);
    }
  }
}
