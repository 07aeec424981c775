package io.kerbside.sim.town;

import java.util.Locale;

/** The character of a street, which sets how fast its bins fill and how it is lit. */
public enum StreetType {
  /** Shops and cafés in the centre: bins fill fast, peaking at lunch and on Saturdays. */
  HIGH_STREET,
  /** A radial through road: steady traffic, taller lighting columns. */
  MAIN_ROAD,
  /** Houses: bins fill slowly, morning and evening. */
  RESIDENTIAL,
  /** A park or green: bins fill in the afternoon and at weekends. */
  PARK;

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
