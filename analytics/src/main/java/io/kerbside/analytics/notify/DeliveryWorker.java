package io.kerbside.analytics.notify;

import io.kerbside.analytics.notify.outbox.Backoff;
import io.kerbside.analytics.notify.outbox.ClaimedDelivery;
import io.kerbside.analytics.notify.outbox.DeliveryRepository;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued notices: each of {@code threads} threads claims a batch of due pending
 * deliveries, hands each to its channel and records the attempt; a failure is retried with
 * exponential backoff and jitter until {@code maxAttempts}, then given up and recorded. Any number
 * of workers, in one process or several, may run on one database: a delivery is claimed by one of
 * them at a time ({@link DeliveryRepository}).
 *
 * <p>It only reads and writes the delivery tables, on its own threads, so a slow or failing channel
 * never holds up evaluation, and a queued delivery stays queued until it is delivered or given up.
 */
public final class DeliveryWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

  private final DeliveryRepository repository;
  private final Map<String, Channel> channels = new HashMap<>();
  private final DeliveryConfig config;
  private final DeliveryMetrics metrics;
  private final Backoff backoff;
  private final Object wake = new Object();
  private final String name;
  private ExecutorService threads;
  private volatile boolean running;

  /**
   * @param channels the configured channels by {@link Channel#name()}; a delivery to a channel not
   *     among them is given up
   */
  public DeliveryWorker(
      String name,
      DataSource ds,
      Collection<? extends Channel> channels,
      DeliveryConfig config,
      DeliveryMetrics metrics) {
    this.name = name;
    this.repository = new DeliveryRepository(ds);
    channels.forEach(c -> this.channels.put(c.name(), c));
    this.config = config;
    this.metrics = metrics;
    this.backoff =
        new Backoff(
            Duration.ofMillis(config.initialDelayMs()), Duration.ofMillis(config.maxDelayMs()));
  }

  /** Starts the delivery threads; returns at once. */
  public synchronized void start() {
    if (threads != null) {
      return;
    }
    running = true;
    AtomicInteger n = new AtomicInteger();
    threads =
        Executors.newFixedThreadPool(
            config.threads(),
            r -> {
              Thread t = new Thread(r, name + "-delivery-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < config.threads(); i++) {
      threads.execute(this::loop);
    }
    LOG.info(
        "{} - delivering to {} channel(s) on {} thread(s)",
        name,
        channels.size(),
        config.threads());
  }

  /**
   * Stops claiming and waits up to {@code timeout} for deliveries in progress; a delivery cut off
   * is retried when its lease ends.
   */
  public void stop(Duration timeout) {
    ExecutorService t;
    synchronized (this) {
      t = threads;
      threads = null;
      running = false;
    }
    if (t == null) {
      return;
    }
    synchronized (wake) {
      wake.notifyAll();
    }
    t.shutdown();
    try {
      if (!t.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        t.shutdownNow();
      }
    } catch (InterruptedException e) {
      t.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Stops, waiting up to 10 s for deliveries in progress. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /** Wakes idle threads to look for due deliveries now rather than at the next poll. */
  public void wakeUp() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void loop() {
    while (running) {
      int done;
      try {
        done = runOnce();
      } catch (SQLException e) {
        LOG.warn("{} - cannot read the delivery queue, trying again", name, e);
        done = 0;
      } catch (RuntimeException e) {
        LOG.error("{} - delivery failed unexpectedly", name, e);
        done = 0;
      }
      if (done == 0 && running) {
        synchronized (wake) {
          try {
            wake.wait(config.pollIntervalMs());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  /**
   * Claims one batch of due deliveries and delivers them on the calling thread.
   *
   * @return how many were claimed
   */
  public int runOnce() throws SQLException {
    List<ClaimedDelivery> batch = repository.claimDue(config.batchSize(), config.lease());
    for (ClaimedDelivery d : batch) {
      deliver(d);
    }
    return batch.size();
  }

  private void deliver(ClaimedDelivery d) throws SQLException {
    Channel channel = channels.get(d.channel());
    if (channel == null) {
      LOG.warn(
          "{} - delivery {} is for channel '{}', which is not configured; giving up",
          name,
          d.deliveryId(),
          d.channel());
      repository.markGaveUp(
          d,
          "no channel named '" + d.channel() + "' is configured",
          OptionalInt.empty(),
          Duration.ZERO);
      return;
    }
    long start = System.nanoTime();
    DeliveryOutcome outcome;
    try {
      outcome = channel.deliver(d.notice());
    } catch (RuntimeException e) {
      LOG.error("{} - channel {} failed on delivery {}", name, channel.name(), d.deliveryId(), e);
      outcome = DeliveryOutcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (outcome instanceof DeliveryOutcome.Delivered ok) {
      Optional<Duration> latency =
          repository.markDelivered(d, ok.externalId(), ok.statusCode(), took);
      metrics.attempted(channel.type(), DeliveryMetrics.Outcome.DELIVERED, took);
      latency.ifPresent(l -> metrics.delivered(channel.type(), l));
      LOG.debug("{} - delivery {} to {} done", name, d.deliveryId(), channel.name());
    } else if (outcome instanceof DeliveryOutcome.RetryableFailure f
        && d.attempt() < config.maxAttempts()) {
      Duration delay = backoff.delayAfter(d.attempt());
      repository.markRetry(d, f.error(), f.statusCode(), took, delay);
      metrics.attempted(channel.type(), DeliveryMetrics.Outcome.RETRY, took);
      LOG.info(
          "{} - delivery {} to {} failed (attempt {} of {}), retrying in {} ms: {}",
          name,
          d.deliveryId(),
          channel.name(),
          d.attempt(),
          config.maxAttempts(),
          delay.toMillis(),
          f.error());
    } else {
      String error =
          outcome instanceof DeliveryOutcome.RetryableFailure f
              ? f.error() + " (gave up after " + d.attempt() + " attempts)"
              : ((DeliveryOutcome.PermanentFailure) outcome).error();
      repository.markGaveUp(d, error, outcome.statusCode(), took);
      metrics.attempted(channel.type(), DeliveryMetrics.Outcome.GAVE_UP, took);
      LOG.warn(
          "{} - gave up delivery {} of alert {} to {}: {}",
          name,
          d.deliveryId(),
          d.notice().alertId(),
          channel.name(),
          error);
    }
  }
}
