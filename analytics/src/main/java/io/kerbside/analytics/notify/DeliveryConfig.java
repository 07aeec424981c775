package io.kerbside.analytics.notify;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import java.time.Duration;

/**
 * How delivery runs: the size of its worker pool, how often it looks for due deliveries, how it
 * backs off after a failure and when it gives up. Loaded once at start-up; every setting is in
 * docs/delivery.md.
 *
 * @param leaseSeconds how long a claimed delivery is hidden from other workers while it is being
 *     delivered; it must outlast the slowest channel's timeout
 * @param routingHorizonHours an alert event older than this when a worker first routes it is marked
 *     routed without deliveries: crews are not sent a backlog of stale steps after delivery was off
 *     for a long time
 */
public record DeliveryConfig(
    int threads,
    int batchSize,
    int pollIntervalMs,
    int initialDelayMs,
    int maxDelayMs,
    int maxAttempts,
    int leaseSeconds,
    int open311PollSeconds,
    int routingHorizonHours) {

  public static final String THREADS = "KERBSIDE_ANALYTICS_DELIVERY_THREADS";
  public static final String BATCH_SIZE = "KERBSIDE_ANALYTICS_DELIVERY_BATCH_SIZE";
  public static final String POLL_INTERVAL = "KERBSIDE_ANALYTICS_DELIVERY_POLL_MS";
  public static final String INITIAL_DELAY = "KERBSIDE_ANALYTICS_DELIVERY_INITIAL_DELAY_MS";
  public static final String MAX_DELAY = "KERBSIDE_ANALYTICS_DELIVERY_MAX_DELAY_MS";
  public static final String MAX_ATTEMPTS = "KERBSIDE_ANALYTICS_DELIVERY_MAX_ATTEMPTS";
  public static final String LEASE = "KERBSIDE_ANALYTICS_DELIVERY_LEASE_S";
  public static final String OPEN311_POLL = "KERBSIDE_ANALYTICS_OPEN311_POLL_S";
  public static final String ROUTING_HORIZON = "KERBSIDE_ANALYTICS_DELIVERY_HORIZON_H";

  /** The default {@link #routingHorizonHours()}: a week. */
  public static final int DEFAULT_ROUTING_HORIZON_H = 168;

  /** With the default routing horizon. */
  public DeliveryConfig(
      int threads,
      int batchSize,
      int pollIntervalMs,
      int initialDelayMs,
      int maxDelayMs,
      int maxAttempts,
      int leaseSeconds,
      int open311PollSeconds) {
    this(
        threads,
        batchSize,
        pollIntervalMs,
        initialDelayMs,
        maxDelayMs,
        maxAttempts,
        leaseSeconds,
        open311PollSeconds,
        DEFAULT_ROUTING_HORIZON_H);
  }

  public static DeliveryConfig from(Settings s) {
    int initial = s.intBetween(INITIAL_DELAY, 5_000, 10, 3_600_000);
    int max = s.intBetween(MAX_DELAY, 600_000, 10, 86_400_000);
    if (max < initial) {
      throw new ConfigException(
          MAX_DELAY + " must be at least " + INITIAL_DELAY + " (" + initial + "), got " + max);
    }
    return new DeliveryConfig(
        s.intBetween(THREADS, 2, 1, 64),
        s.intBetween(BATCH_SIZE, 10, 1, 1_000),
        s.intBetween(POLL_INTERVAL, 500, 10, 60_000),
        initial,
        max,
        s.intBetween(MAX_ATTEMPTS, 10, 1, 1_000),
        s.intBetween(LEASE, 120, 1, 3_600),
        s.intBetween(OPEN311_POLL, 300, 1, 86_400),
        s.intBetween(ROUTING_HORIZON, DEFAULT_ROUTING_HORIZON_H, 1, 87_600));
  }

  public Duration routingHorizon() {
    return Duration.ofHours(routingHorizonHours);
  }

  public Duration lease() {
    return Duration.ofSeconds(leaseSeconds);
  }
}
