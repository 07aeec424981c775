package io.kerbside.sim.town;

import java.util.Objects;

/**
 * A pavement section with an embedded surface sensor (temperature, wetness, vibration, cracks).
 *
 * @param surface what it is made of
 * @param sectionLengthM length of the section the sensor stands for, metres
 * @param shade 0 (open sky) to 1 (fully shaded by buildings or trees); shade keeps it out of the
 *     sun by day and from losing heat to a clear sky at night
 */
public record PavementDetails(SurfaceType surface, double sectionLengthM, double shade)
    implements AssetDetails {
  public PavementDetails {
    Objects.requireNonNull(surface, "surface");
    if (!(shade >= 0 && shade <= 1)) {
      throw new IllegalArgumentException("shade must be 0 to 1, got " + shade);
    }
  }
}
