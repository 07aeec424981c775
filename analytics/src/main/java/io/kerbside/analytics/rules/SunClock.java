package io.kerbside.analytics.rules;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.OptionalDouble;
import org.shredzone.commons.suncalc.SunPosition;

/**
 * Where the sun stands for a place on the ground: its altitude above the horizon in degrees, with
 * atmospheric refraction (what a photocell sees). Computed with commons-suncalc, the library the
 * simulator's lamps switch by, so rules and devices agree on sunset. Stateless and thread-safe.
 *
 * <p>Reference altitudes: the sun's upper limb touches the horizon (published sunrise and sunset)
 * at about −0.83°; civil twilight ends at −6°.
 */
public final class SunClock {
  /** The sun's centre altitude at published sunrise and sunset (upper limb plus refraction). */
  public static final double SUNRISE_ALTITUDE_DEG = -0.833;

  private SunClock() {}

  /**
   * The sun's apparent altitude in degrees (−90 to 90) at {@code latitude}, {@code longitude} (WGS
   * 84 degrees) at {@code at}.
   */
  public static double altitudeDeg(double latitude, double longitude, Instant at) {
    // The instant with its zone in one step: the builder starts in the JVM's default zone, and
    // changing the zone after the time keeps the local time, which would shift the instant.
    return SunPosition.compute()
        .on(ZonedDateTime.ofInstant(at, ZoneOffset.UTC))
        .at(latitude, longitude)
        .execute()
        .getAltitude();
  }

  /** The sun's altitude at a subject's asset; empty when the device has no asset to place it. */
  static OptionalDouble altitudeDeg(Subject subject, Instant at) {
    return subject
        .asset()
        .map(a -> OptionalDouble.of(altitudeDeg(a.latitude(), a.longitude(), at)))
        .orElse(OptionalDouble.empty());
  }
}
