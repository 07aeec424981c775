package io.kerbside.sim.town;

import java.util.Locale;

/** The light source of a streetlight, which sets its rated power and whether it dims. */
public enum LampType {
  /** Light-emitting diodes, 18 to 54 W, usually dimmed late at night. */
  LED(0.95),
  /** High-pressure sodium, 70 to 150 W, not dimmable; fails by cycling at end of life. */
  SON(0.85),
  /** Ceramic metal halide, 45 to 90 W. */
  CMH(0.9);

  private final double powerFactor;

  LampType(double powerFactor) {
    this.powerFactor = powerFactor;
  }

  /** Ratio of real to apparent power, used to derive the supply current. */
  public double powerFactor() {
    return powerFactor;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
