package io.kerbside.sim.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TokenBucketTest {
  private static final long MS = 1_000_000;
  private final AtomicLong now = new AtomicLong(5_000 * MS);

  @Test
  void spacesTokensEvenlyAtTheRate() {
    TokenBucket bucket = new TokenBucket(1_000, 0, now::get);

    assertThat(bucket.take()).isZero();
    assertThat(bucket.take()).isEqualTo(MS);
    assertThat(bucket.take()).isEqualTo(2 * MS);
    now.addAndGet(2 * MS);
    assertThat(bucket.take()).isEqualTo(MS);
  }

  @Test
  void letsALateSenderCatchUpOnlyByTheBurst() {
    TokenBucket bucket = new TokenBucket(1_000, 3 * MS, now::get);
    bucket.take();
    now.addAndGet(100 * MS);

    int immediate = 0;
    while (bucket.take() == 0) {
      immediate++;
    }

    assertThat(immediate).as("the burst's 3 tokens and the one due now").isEqualTo(4);
  }

  @Test
  @Timeout(10) // the clock below stands still: an acquire that parked would never return
  void acquireLetsTokensDueWithinTheMinimumParkGoAtOnceAndParksForTheNext() throws Exception {
    // 10,000 a second: a token every 0.1 ms; those due within the minimum park go at once.
    TokenBucket bucket = new TokenBucket(10_000, 0, now::get);
    long dueWithin = TokenBucket.MIN_PARK_NANOS / (MS / 10);
    for (int i = 0; i < dueWithin; i++) {
      bucket.acquire();
    }

    // The next is due exactly the minimum park from now: acquire parks until the clock says so.
    Thread clock =
        new Thread(
            () -> {
              LockSupport.parkNanos(20 * MS);
              now.addAndGet(TokenBucket.MIN_PARK_NANOS);
            });
    long start = System.nanoTime();
    clock.start();
    bucket.acquire();
    clock.join();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20 * MS);
    assertThat(bucket.take()).as("tokens keep their spacing").isEqualTo(MS / 10);
  }

  @Test
  void refusesARateThatIsNotPositive() {
    assertThatThrownBy(() -> new TokenBucket(0, 0, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
