package io.kerbside.sim.model;

import io.kerbside.sim.random.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The battery of a bin or pavement sensor. It starts at 3.55 to 3.68 V and drains at a steady rate;
 * a low-battery fault pulls it down towards 3.05 V over an hour or two, and when the fault ends a
 * fresh battery reads 3.67 V. It reads 4 mV lower for each degree below 15 degrees C.
 *
 * <p>Not thread-safe: it belongs to one model.
 */
final class Battery {
  private static final double REFIT_V = 3.67;

  private final SplittableRandom rng;
  private final Instant start;
  private final double drainVPerDay;
  private final double startV;
  private Instant lowSince;
  private double refitV = Double.NaN;

  /**
   * Draws the starting voltage from {@code rng}, the model's stream, which also gives the reading
   * noise.
   *
   * @param start when the run starts: the drain counts from then
   */
  Battery(SplittableRandom rng, Instant start, double drainVPerDay) {
    this.rng = rng;
    this.start = start;
    this.drainVPerDay = drainVPerDay;
    this.startV = Seeds.between(rng, 3.55, 3.68);
  }

  /** The voltage the sensor reads at {@code t} at {@code tempC}, with its noise. */
  double readV(Instant t, double tempC) {
    double days = Duration.between(start, t).toMillis() / 86_400_000.0;
    double v = (Double.isNaN(refitV) ? startV : refitV) - drainVPerDay * days;
    if (lowSince != null) {
      double hours = Duration.between(lowSince, t).toMillis() / 3_600_000.0;
      v = Math.min(v, 3.05 + 0.12 * Math.exp(-hours / 0.5));
    }
    v -= 0.004 * Math.max(0, 15 - tempC);
    return v + 0.005 * Seeds.gaussian(rng);
  }

  /** Starts or ends the low-battery fault; ending it fits a fresh battery. */
  void setLow(boolean active, Instant at) {
    if (!active && lowSince != null) {
      refitV = REFIT_V;
    }
    lowSince = active ? at : null;
  }
}
