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
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes and delivers notices: {@link #runOnce()} first routes the alert events recorded since (by
 * any process: analytics, the REST API, the command line, a works system) into one pending delivery
 * per channel the routes name, then claims a batch of due pending deliveries, hands each to its
 * channel and records the attempt; a failure is retried with exponential backoff and jitter until
 * {@code maxAttempts}, then given up and recorded. Any number of runs, in one process or several,
 * may work on one database at once: an event is routed by one of them, and a delivery is claimed by
 * one of them at a time ({@link DeliveryRepository}). All of them should read the same routes file:
 * whichever routes an event decides its channels.
 *
 * <p>It has no threads of its own: {@link DeliveryVerticle} calls {@link #runOnce()} on its worker
 * pool, several at once, so a slow or failing channel never holds up evaluation, and a queued
 * delivery stays queued until it is delivered or given up.
 */
public final class DeliveryWorker {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

  /** Events routed in one transaction: routing does no I/O but SQL, so batches can be large. */
  static final int ROUTING_BATCH = 500;

  /** At most this many routing batches per run, so that a backlog does not hold up sending. */
  private static final int ROUTING_BATCHES_PER_RUN = 20;

  private final DeliveryRepository repository;
  private final Routing routing;
  private final Map<String, Channel> channels = new HashMap<>();
  private final DeliveryConfig config;
  private final DeliveryMetrics metrics;
  private final Backoff backoff;
  private final String name;

  /**
   * @param routing which channels each recorded event goes to
   * @param channels the configured channels by {@link Channel#name()}; a delivery to a channel not
   *     among them is given up
   */
  public DeliveryWorker(
      String name,
      DataSource ds,
      Routing routing,
      Collection<? extends Channel> channels,
      DeliveryConfig config,
      DeliveryMetrics metrics) {
    this.name = name;
    this.repository = new DeliveryRepository(ds);
    this.routing = routing;
    channels.forEach(c -> this.channels.put(c.name(), c));
    this.config = config;
    this.metrics = metrics;
    this.backoff =
        new Backoff(
            Duration.ofMillis(config.initialDelayMs()), Duration.ofMillis(config.maxDelayMs()));
  }

  /**
   * Routes the events recorded since, then claims one batch of due deliveries and delivers them on
   * the calling thread, which blocks (JDBC and the channels' network calls): never call it on an
   * event loop. Safe to call from several threads at once.
   *
   * @return how many deliveries were claimed; {@link DeliveryConfig#batchSize()} means more may be
   *     due
   * @throws SQLException when the events or the delivery queue cannot be read or an attempt cannot
   *     be recorded; what was claimed and not recorded is due again when its lease ends, what was
   *     not routed is routed by the next run
   */
  public int runOnce() throws SQLException {
    route();
    List<ClaimedDelivery> batch = repository.claimDue(config.batchSize(), config.lease());
    for (ClaimedDelivery d : batch) {
      deliver(d);
    }
    return batch.size();
  }

  /**
   * Routes events in batches until none is left to this run (another run may be routing the rest)
   * or the run's share is done.
   *
   * @return how many events were routed
   */
  int route() throws SQLException {
    int total = 0;
    for (int i = 0; i < ROUTING_BATCHES_PER_RUN; i++) {
      DeliveryRepository.Routed r =
          repository.routeNew(ROUTING_BATCH, routing, config.routingHorizon());
      total += r.events();
      metrics.routed(r.events() - r.unmatched() - r.tooOld(), r.unmatched(), r.tooOld());
      if (r.tooOld() > 0) {
        LOG.warn(
            "{} - {} alert event(s) older than {} h were not delivered ({})",
            name,
            r.tooOld(),
            config.routingHorizonHours(),
            DeliveryConfig.ROUTING_HORIZON);
      }
      if (r.events() > 0) {
        LOG.debug(
            "{} - routed {} event(s) into {} delivery(ies)", name, r.events(), r.deliveries());
      }
      if (r.events() < ROUTING_BATCH) {
        break;
      }
    }
    return total;
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
