package io.kerbside.bench.reference;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts events and remembers when the last one happened ({@link System#nanoTime()}), so a waiter
 * can tell "done" from "stalled". Thread-safe.
 */
public final class ArrivalCounter {
  private final AtomicLong count = new AtomicLong();
  private volatile long lastNanos;

  void record() {
    lastNanos = System.nanoTime();
    count.incrementAndGet();
  }

  /**
   * Takes over a count kept elsewhere (another process): {@code total} events so far, the latest at
   * {@code latestNanos}. Ignored unless the count grew.
   */
  void update(long total, long latestNanos) {
    if (total > count.get()) {
      lastNanos = latestNanos;
      count.set(total);
    }
  }

  /** Events so far. */
  public long count() {
    return count.get();
  }

  /** {@link System#nanoTime()} of the latest event. */
  public long lastNanos() {
    return lastNanos;
  }

  /**
   * Waits until {@code expected} events were counted, or until none came for {@code stall}.
   *
   * @return true when the count was reached
   */
  public boolean await(long expected, Duration stall) throws InterruptedException {
    long seen = -1;
    long progressAt = System.nanoTime();
    while (true) {
      long n = count.get();
      if (n >= expected) {
        return true;
      }
      long now = System.nanoTime();
      if (n != seen) {
        seen = n;
        progressAt = now;
      } else if (now - progressAt > stall.toNanos()) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
