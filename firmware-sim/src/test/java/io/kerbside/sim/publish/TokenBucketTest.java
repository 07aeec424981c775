package io.kerbside.sim.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

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
  void refusesARateThatIsNotPositive() {
    assertThatThrownBy(() -> new TokenBucket(0, 0, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
