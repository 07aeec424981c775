package io.kerbside.analytics.notify;

import io.kerbside.analytics.notify.channel.Channels;
import io.kerbside.core.config.ConfigException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert delivery for one analytics process: the channels of the routes file, the {@link
 * DeliveryWorker} that routes recorded alert events by the routes ({@link RoutesConfig}) and drains
 * the delivery queue and, when Open311 channels are configured, the {@link Open311StatusPoller}.
 *
 * <p>Every {@link DeliveryConfig#pollIntervalMs()} a timer starts a {@link DeliveryWorker#runOnce()
 * run} when fewer than {@link DeliveryConfig#threads()} are in progress; a run that claimed a full
 * batch is followed at once by another, since more may be due. The Open311 poll runs every {@link
 * DeliveryConfig#open311PollSeconds()}, counted from the end of the previous poll.
 *
 * <p>Threading: runs and polls block (JDBC, HTTP, SMTP, MQTT) and run on the worker pool {@value
 * #EXECUTOR} of {@code threads} threads, never on an event loop; timers and bookkeeping run on the
 * verticle's context. Verticles deployed on one {@code Vertx} share that pool. {@link #wakeUp()}
 * may be called from any thread.
 *
 * <p>{@link #stop()} cancels the timers and claims nothing more, waits up to 10 s for runs in
 * progress, then closes the pool (interrupting a delivery still running; its lease makes it due
 * again) and the channels.
 */
public final class DeliveryVerticle extends VerticleBase {
  /** The name of the worker pool; its threads are called {@code kerbside-delivery-<n>}. */
  public static final String EXECUTOR = "kerbside-delivery";

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryVerticle.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final DeliveryConfig config;
  private final List<Channel> channels;
  private final DeliveryWorker worker;
  private final Open311StatusPoller poller;

  /** The context while started, for {@link #wakeUp()}; null before start and once stopping. */
  private volatile Context running;

  // Only touched on the verticle's context.
  private WorkerExecutor executor;
  private final Set<Future<?>> inProgress = new HashSet<>();
  private int runs;
  private boolean wakeUpPending;
  private boolean stopping;
  private long pollTimer = -1;
  private long open311Timer = -1;

  // Touched by runs on several pool threads at once.
  private final AtomicBoolean queueFailing = new AtomicBoolean();

  /**
   * Builds the channels the routes file declares; nothing runs until the verticle is deployed.
   *
   * @throws ConfigException when the lease is not longer than a channel can take
   */
  public DeliveryVerticle(
      DataSource ds,
      DeliveryConfig config,
      RoutesConfig routes,
      ExternalResolution resolution,
      MeterRegistry meters) {
    this(ds, config, routes, channels(config, routes), open311(routes), resolution, meters);
  }

  /** With the given channels in place of those the routes file would build. */
  DeliveryVerticle(
      DataSource ds,
      DeliveryConfig config,
      Routing routing,
      List<? extends Channel> channels,
      List<ChannelSettings.Open311> open311,
      ExternalResolution resolution,
      MeterRegistry meters) {
    DeliveryMetrics metrics = new DeliveryMetrics(meters);
    this.config = config;
    this.channels = List.copyOf(channels);
    this.worker = new DeliveryWorker("analytics", ds, routing, this.channels, config, metrics);
    this.poller = new Open311StatusPoller(ds, open311, resolution, metrics);
  }

  private static List<Channel> channels(DeliveryConfig config, RoutesConfig routes) {
    for (ChannelSettings s : routes.channels()) {
      if (s.maxAttemptMs() >= config.leaseSeconds() * 1000L) {
        throw new ConfigException(
            DeliveryConfig.LEASE
                + " ("
                + config.leaseSeconds()
                + " s) must be longer than channel '"
                + s.name()
                + "' can take ("
                + s.maxAttemptMs()
                + " ms), or a slow delivery could be sent twice");
      }
    }
    List<Channel> out = new ArrayList<>();
    for (ChannelSettings s : routes.channels()) {
      out.add(Channels.create(s, Clock.systemUTC()));
    }
    return out;
  }

  private static List<ChannelSettings.Open311> open311(RoutesConfig routes) {
    List<ChannelSettings.Open311> out = new ArrayList<>();
    for (ChannelSettings s : routes.channels()) {
      if (s instanceof ChannelSettings.Open311 o) {
        out.add(o);
      }
    }
    return out;
  }

  @Override
  public Future<?> start() {
    // A run that outlives the lease of its batch risks a second sending: worth the blocked-thread
    // warning, which is why the pool's limit is the lease rather than Vert.x's default.
    executor =
        vertx.createSharedWorkerExecutor(
            EXECUTOR, config.threads(), config.leaseSeconds(), TimeUnit.SECONDS);
    pollTimer = vertx.setPeriodic(config.pollIntervalMs(), id -> startRun(false));
    if (poller.hasChannels()) {
      scheduleOpen311Poll();
    }
    running = context;
    startRun(false);
    LOG.info(
        "delivery - {} channel(s), up to {} deliveries at once on {}",
        channels.size(),
        config.threads(),
        EXECUTOR);
    return Future.succeededFuture();
  }

  /**
   * Looks for due deliveries now rather than at the next poll: starts a run at once, or as soon as
   * one ends when {@code threads} are in progress. Does nothing unless the verticle is started.
   * Callable from any thread.
   */
  public void wakeUp() {
    Context c = running;
    if (c != null) {
      c.runOnContext(v -> startRun(true));
    }
  }

  private void startRun(boolean wanted) {
    if (stopping) {
      return;
    }
    if (runs >= config.threads()) {
      wakeUpPending |= wanted;
      return;
    }
    runs++;
    Future<Integer> run = executor.executeBlocking(this::claimAndDeliver, false);
    inProgress.add(run);
    run.onComplete(
        ar -> {
          runs--;
          inProgress.remove(run);
          if (ar.failed()) {
            LOG.error("delivery - a run failed unexpectedly", ar.cause());
          }
          boolean more = ar.succeeded() && ar.result() >= config.batchSize();
          if (more || wakeUpPending) {
            wakeUpPending = false;
            startRun(false);
          }
        });
  }

  /** On a worker thread: one run, a database failure logged once per streak. */
  private int claimAndDeliver() {
    try {
      int claimed = worker.runOnce();
      if (queueFailing.getAndSet(false)) {
        LOG.info("delivery - the delivery queue can be read again");
      }
      return claimed;
    } catch (SQLException e) {
      if (!queueFailing.getAndSet(true)) {
        LOG.warn(
            "delivery - cannot read the delivery queue, trying again every {} ms",
            config.pollIntervalMs(),
            e);
      }
      return 0;
    }
  }

  private void scheduleOpen311Poll() {
    open311Timer =
        vertx.setTimer(
            TimeUnit.SECONDS.toMillis(config.open311PollSeconds()),
            id -> {
              open311Timer = -1;
              if (stopping) {
                return;
              }
              Future<Void> poll = executor.executeBlocking(this::pollOpen311, false);
              inProgress.add(poll);
              poll.onComplete(
                  ar -> {
                    inProgress.remove(poll);
                    if (ar.failed()) {
                      LOG.error("open311 - status poll failed unexpectedly", ar.cause());
                    }
                    if (!stopping) {
                      scheduleOpen311Poll();
                    }
                  });
            });
  }

  /** On a worker thread. */
  private Void pollOpen311() {
    try {
      poller.pollOnce();
    } catch (SQLException e) {
      LOG.warn("open311 - cannot read the open works requests, trying at the next poll", e);
    }
    return null;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    running = null;
    vertx.cancelTimer(pollTimer);
    if (open311Timer != -1) {
      vertx.cancelTimer(open311Timer);
    }
    return Future.join(List.copyOf(inProgress))
        .timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .otherwise(
            e -> {
              if (!inProgress.isEmpty()) {
                LOG.warn(
                    "delivery - {} run(s) still in progress {} s after stopping; closing the pool"
                        + " interrupts them and their deliveries are due again when the lease ends",
                    inProgress.size(),
                    STOP_TIMEOUT.toSeconds());
              }
              return null;
            })
        .eventually(() -> executor.close())
        // Closing a channel may block (an MQTT disconnect): not on the event loop.
        .eventually(
            () ->
                vertx.executeBlocking(
                    () -> {
                      channels.forEach(Channel::close);
                      return null;
                    },
                    false));
  }
}
