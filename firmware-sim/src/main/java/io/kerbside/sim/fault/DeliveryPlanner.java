package io.kerbside.sim.fault;

import io.kerbside.sim.FaultType;
import io.kerbside.sim.encode.Malformation;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.scenario.DeliveryRates;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Decides, reading by reading, whether its delivery goes wrong and how. Each device draws from its
 * own stream, so its delivery faults do not depend on the other devices.
 *
 * <p>Not thread-safe.
 */
public final class DeliveryPlanner {
  /** Least and most a skewed clock runs ahead: always beyond Kerbside's tolerance of minutes. */
  static final Duration MIN_SKEW = Duration.ofHours(1);

  static final Duration MAX_SKEW = Duration.ofHours(48);

  private final DeliveryRates rates;
  private final long seed;
  private final SplittableRandom[] streams;

  public DeliveryPlanner(DeliveryRates rates, long seed, int devices) {
    this.rates = rates;
    this.seed = seed;
    this.streams = new SplittableRandom[devices];
  }

  /** The delivery fault of device {@code d}'s next reading, or {@code null} for none. */
  public FaultType draw(int d) {
    if (rates.none()) {
      return null;
    }
    double u = stream(d).nextDouble();
    if ((u -= rates.duplicate()) < 0) {
      return FaultType.DUPLICATE;
    }
    if ((u -= rates.outOfOrder()) < 0) {
      return FaultType.OUT_OF_ORDER;
    }
    if ((u -= rates.clockSkew()) < 0) {
      return FaultType.CLOCK_SKEW;
    }
    if ((u -= rates.malformed()) < 0) {
      return FaultType.MALFORMED;
    }
    if ((u -= rates.burst()) < 0) {
      return FaultType.BURST;
    }
    return null;
  }

  /** How device {@code d} mangles its payload. */
  public Malformation malformation(int d) {
    Malformation[] all = Malformation.values();
    return all[stream(d).nextInt(all.length)];
  }

  /** How far ahead device {@code d}'s clock runs, to the millisecond. */
  public Duration skew(int d) {
    long ms = MIN_SKEW.toMillis() + stream(d).nextLong(MAX_SKEW.toMillis() - MIN_SKEW.toMillis());
    return Duration.ofMillis(ms);
  }

  /** How many extra readings device {@code d}'s flood has. */
  public int burstReadings(int d) {
    return rates.burstMinReadings()
        + stream(d).nextInt(rates.burstMaxReadings() - rates.burstMinReadings() + 1);
  }

  private SplittableRandom stream(int d) {
    SplittableRandom s = streams[d];
    if (s == null) {
      s = Seeds.stream(seed, Seeds.DELIVERY + d);
      streams[d] = s;
    }
    return s;
  }
}
