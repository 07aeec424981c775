package io.kerbside.analytics.notify.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": after the n-th failed attempt the next one waits between
 * half and all of {@code min(max, initial * 2^(n-1))}, so retries of many deliveries to one
 * recovering destination spread out instead of arriving together.
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
  }

  /** The wait after {@code failedAttempts} (at least 1) failures, with a random jitter. */
  public Duration delayAfter(int failedAttempts) {
    return delayAfter(failedAttempts, ThreadLocalRandom.current().nextDouble());
  }

  /** The wait after {@code failedAttempts} failures for a jitter draw {@code random} in [0, 1). */
  public Duration delayAfter(int failedAttempts, double random) {
    long cap = max.toMillis();
    long base = initial.toMillis();
    int doublings = Math.max(0, Math.min(failedAttempts - 1, 62));
    long ceiling = doublings >= Long.numberOfLeadingZeros(base) - 1 ? cap : base << doublings;
    ceiling = Math.min(cap, ceiling);
    long half = ceiling / 2;
    return Duration.ofMillis(half + (long) ((ceiling - half) * random));
  }
}
