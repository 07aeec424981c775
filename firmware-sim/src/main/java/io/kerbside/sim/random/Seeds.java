package io.kerbside.sim.random;

import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams derived from a run's seed. Every part of the simulation
 * draws from its own stream (the town, each device's model, each device's delivery, the fault
 * plan), so changing one part, or the order in which devices happen to be served, leaves the
 * others' choices unchanged.
 */
public final class Seeds {
  /** Stream for the town's layout. */
  public static final long TOWN = 1;

  /** Stream for the fault plan. */
  public static final long FAULT_PLAN = 2;

  /** Stream for the weather. */
  public static final long WEATHER = 3;

  /** Stream for the opening faults of a run that asks for them. */
  public static final long OPENING_FAULTS = 4;

  /** Streams for device models: {@code MODEL + device}. */
  public static final long MODEL = 1L << 32;

  /** Streams for delivery decisions: {@code DELIVERY + device}. */
  public static final long DELIVERY = 2L << 32;

  private Seeds() {}

  /** A random stream for {@code purpose} under {@code seed}. */
  public static SplittableRandom stream(long seed, long purpose) {
    return new SplittableRandom(mix(seed, purpose));
  }

  /** A well-mixed 64-bit value of {@code seed} and {@code salt} (SplitMix64's finaliser). */
  public static long mix(long seed, long salt) {
    long z = seed * 0x9E3779B97F4A7C15L + salt * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A uniform value in [0, 1) determined by {@code seed}, {@code a} and {@code b}. */
  public static double unit(long seed, long a, long b) {
    return (mix(mix(seed, a), b) >>> 11) * 0x1.0p-53;
  }

  /** A standard normal value determined by {@code seed}, {@code a} and {@code b}. */
  public static double gaussian(long seed, long a, long b) {
    double u1 = Math.max(1e-12, unit(seed, a, b));
    double u2 = unit(seed, a, b ^ 0x5DEECE66DL);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A standard normal value drawn from {@code rng}. */
  public static double gaussian(SplittableRandom rng) {
    double u1 = Math.max(1e-12, rng.nextDouble());
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A uniform value in [min, max) drawn from {@code rng}. */
  public static double between(SplittableRandom rng, double min, double max) {
    return min + (max - min) * rng.nextDouble();
  }
}
