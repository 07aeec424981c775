package io.kerbside.analytics.notify.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

  @Test
  void doublesFromTheInitialDelay() {
    assertThat(backoff.delayAfter(1, 0.999_999))
        .isBetween(Duration.ofMillis(4_999), Duration.ofSeconds(5));
    assertThat(backoff.delayAfter(2, 0.999_999))
        .isBetween(Duration.ofMillis(9_999), Duration.ofSeconds(10));
    assertThat(backoff.delayAfter(3, 0.999_999))
        .isBetween(Duration.ofMillis(19_999), Duration.ofSeconds(20));
  }

  @Test
  void jitterKeepsAtLeastHalfTheDelay() {
    assertThat(backoff.delayAfter(1, 0.0)).isEqualTo(Duration.ofMillis(2_500));
    assertThat(backoff.delayAfter(3, 0.0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.delayAfter(3, 0.5)).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void staysWithinTheMaximumHoweverManyAttempts() {
    for (int attempt : new int[] {8, 9, 20, 63, 64, 1_000, Integer.MAX_VALUE}) {
      assertThat(backoff.delayAfter(attempt, 0.999_999))
          .isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
      assertThat(backoff.delayAfter(attempt, 0.0)).isEqualTo(Duration.ofMinutes(5));
    }
  }

  @Test
  void randomDrawsSpreadRetries() {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 1_000; i++) {
      long d = backoff.delayAfter(2).toMillis();
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isGreaterThanOrEqualTo(5_000);
    assertThat(max).isLessThanOrEqualTo(10_000);
    assertThat(max - min).isGreaterThan(2_000);
  }
}
