package io.kerbside.sim.town;

import java.util.Locale;

/** What a pavement section is made of, which sets how it heats in the sun and keeps its heat. */
public enum SurfaceType {
  /** Dark, absorbs the most sunshine, responds in about 1.5 hours. */
  ASPHALT(1.0, 1.5),
  /** Pale, absorbs less and responds more slowly. */
  CONCRETE(0.65, 2.0),
  /** Concrete or clay blocks. */
  BLOCK_PAVING(0.8, 1.7);

  private final double solarAbsorption;
  private final double responseHours;

  SurfaceType(double solarAbsorption, double responseHours) {
    this.solarAbsorption = solarAbsorption;
    this.responseHours = responseHours;
  }

  /** Share of sunshine turned into heat, relative to asphalt. */
  public double solarAbsorption() {
    return solarAbsorption;
  }

  /** Time constant of the surface temperature following the air and sun, in hours. */
  public double responseHours() {
    return responseHours;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
