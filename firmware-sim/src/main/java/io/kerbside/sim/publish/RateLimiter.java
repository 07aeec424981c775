package io.kerbside.sim.publish;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces one sending thread to a rate with a token bucket: up to {@code burstNanos} of lost time can
 * be made up at once, so a sender that fell behind catches up briefly rather than for good.
 *
 * <p>Not thread-safe: one per sending thread.
 */
final class RateLimiter {
  private final long intervalNanos;
  private final long burstNanos;
  private final LongSupplier nanoClock;
  private long nextNanos;

  RateLimiter(double perSecond, long burstNanos, LongSupplier nanoClock) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be above 0 per second, got " + perSecond);
    }
    this.intervalNanos = Math.max(1, Math.round(1e9 / perSecond));
    this.burstNanos = burstNanos;
    this.nanoClock = nanoClock;
    this.nextNanos = nanoClock.getAsLong();
  }

  /** Takes a token; returns how many nanoseconds the caller must wait first (0 = none). */
  long take() {
    long now = nanoClock.getAsLong();
    if (nextNanos < now - burstNanos) {
      nextNanos = now - burstNanos;
    }
    long wait = nextNanos - now;
    nextNanos += intervalNanos;
    return Math.max(0, wait);
  }

  /** Takes a token, parking until it is due. */
  void acquire() throws InterruptedException {
    long wait = take();
    long due = nanoClock.getAsLong() + wait;
    for (long left = wait; left > 0; left = due - nanoClock.getAsLong()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
