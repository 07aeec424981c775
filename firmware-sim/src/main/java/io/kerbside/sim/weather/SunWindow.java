package io.kerbside.sim.weather;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.shredzone.commons.suncalc.SunTimes;

/**
 * Sunrise and sunset at one place on one local date, from {@code commons-suncalc} (the upper limb
 * of the sun on the horizon, with refraction).
 *
 * @param date the local date
 * @param rise sunrise on that date
 * @param set sunset on that date
 */
public record SunWindow(LocalDate date, Instant rise, Instant set) {

  /**
   * Computes the window for {@code date} at a place. Between the polar circles the sun rises and
   * sets on every date; elsewhere a day without a rise or set throws.
   *
   * @throws IllegalArgumentException when the sun does not rise or set that day
   */
  public static SunWindow of(LocalDate date, double latitude, double longitude, ZoneId zone) {
    SunTimes times =
        SunTimes.compute().on(date).timezone(zone).at(latitude, longitude).oneDay().execute();
    ZonedDateTime rise = times.getRise();
    ZonedDateTime set = times.getSet();
    if (rise == null || set == null) {
      throw new IllegalArgumentException(
          "the sun does not both rise and set on " + date + " at " + latitude + "," + longitude);
    }
    return new SunWindow(date, rise.toInstant(), set.toInstant());
  }

  /** True between sunrise and sunset. */
  public boolean isDaylight(Instant t) {
    return !t.isBefore(rise) && t.isBefore(set);
  }
}
