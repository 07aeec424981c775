package io.kerbside.sim.weather;

/** Which weather a scenario asks for. */
public enum WeatherRegime {
  /** The climate of lowland England for the date, with day-to-day variation from the seed. */
  NATURAL,
  /** At least 12 degrees C on average, a small daily range, no rain: nothing freezes or floods. */
  MILD_DRY,
  /**
   * Rain from 15:00 to 18:30, then a clear calm night: about +4 degrees C in the afternoon down to
   * -5 degrees C before dawn, whatever the date.
   */
  WINTER_COLD_SNAP
}
