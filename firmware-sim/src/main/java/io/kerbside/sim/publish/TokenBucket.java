package io.kerbside.sim.publish;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces one sender to a rate: a token bucket that refills at {@code perSecond} and holds at most
 * {@code burstNanos} worth of tokens, so a sender that fell behind (a slow publish, a coarse sleep)
 * catches up in a short burst instead of losing the time for good.
 *
 * <p>Not thread-safe: one per sending thread.
 */
public final class TokenBucket {
  /**
   * {@link #acquire} lets a token due within this time go at once rather than parking for it: at
   * thousands of tokens a second, parking for each would wake the sender once per token, and the
   * wake-ups would cost more CPU than the sending. Tokens still leave at the rate on average, at
   * most this early.
   */
  public static final long MIN_PARK_NANOS = 5_000_000;

  private final long intervalNanos;
  private final long burstNanos;
  private final LongSupplier nanoClock;
  private long nextNanos;

  /**
   * @param perSecond tokens per second, above 0
   * @param burstNanos how far the bucket may let a late sender catch up, in nanoseconds
   * @param nanoClock monotonic time in nanoseconds, normally {@code System::nanoTime}
   * @throws IllegalArgumentException when {@code perSecond} is not a finite number above 0
   */
  public TokenBucket(double perSecond, long burstNanos, LongSupplier nanoClock) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be above 0 per second, got " + perSecond);
    }
    this.intervalNanos = Math.max(1, Math.round(1e9 / perSecond));
    this.burstNanos = Math.max(0, burstNanos);
    this.nanoClock = nanoClock;
    this.nextNanos = nanoClock.getAsLong();
  }

  /**
   * Takes one token.
   *
   * @return nanoseconds the caller must wait before sending; 0 when it may send now
   */
  public long take() {
    long now = nanoClock.getAsLong();
    if (nextNanos < now - burstNanos) {
      nextNanos = now - burstNanos;
    }
    long wait = nextNanos - now;
    nextNanos += intervalNanos;
    return Math.max(0, wait);
  }

  /**
   * Takes one token, parking until it is due unless it is due within {@link #MIN_PARK_NANOS}. Parks
   * rather than sleeps: {@code Thread.sleep} rounds sub-millisecond waits up to a whole
   * millisecond.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void acquire() throws InterruptedException {
    long wait = take();
    if (wait < MIN_PARK_NANOS) {
      return;
    }
    long due = nanoClock.getAsLong() + wait;
    for (long left = wait; left > 0; left = due - nanoClock.getAsLong()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
