package io.kerbside.analytics;

import io.kerbside.analytics.alerts.AlertLifecycle;
import io.kerbside.analytics.alerts.AlertWrites;
import io.kerbside.analytics.alerts.PeopleSteps;
import io.kerbside.analytics.evaluate.ReadingPass;
import io.kerbside.analytics.evaluate.SchedulePass;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics role: the reading pass every {@link AnalyticsConfig#pollInterval()} and the timer
 * pass every {@link AnalyticsConfig#cycleInterval()}. Each interval counts from the end of the
 * previous run of the same pass, so a pass never overlaps itself however long it takes; the two
 * passes may run at the same time.
 *
 * <p>Threading: the passes block on JDBC and run on the worker pool {@value #EXECUTOR} (two
 * threads), never on an event loop; the timers and the bookkeeping run on the verticle's context.
 * {@link #readiness()} may be called from any thread.
 *
 * <p>A failing pass is logged once per failure streak and retried at its next turn; progress lives
 * in the database, so nothing is skipped. {@link #stop()} cancels the timers, waits up to 30 s for
 * passes in progress and closes the pool, which interrupts a pass still running.
 *
 * <p>The passes can also be run directly, without deploying ({@link #readingPass()}, {@link
 * #schedulePass()}).
 */
public final class AnalyticsVerticle extends VerticleBase {
  /** The name of the worker pool; its threads are called {@code kerbside-analytics-<n>}. */
  public static final String EXECUTOR = "kerbside-analytics";

  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsVerticle.class);
  private static final int THREADS = 2;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final AnalyticsConfig config;
  private final AlertWrites store;
  private final PeopleSteps steps;
  private final ReadingPass readings;
  private final SchedulePass schedule;
  private final PassLoop readingLoop;
  private final PassLoop scheduleLoop;
  private WorkerExecutor executor;

  /** Builds the passes; nothing runs until the verticle is deployed. */
  public AnalyticsVerticle(
      AnalyticsConfig config, DataSource dataSource, AnalyticsMetrics metrics, Clock clock) {
    this.config = config;
    this.store = new AlertWrites();
    this.steps = new PeopleSteps(dataSource, clock);
    AlertLifecycle lifecycle = new AlertLifecycle(store, config.flapWindow(), metrics);
    this.readings = new ReadingPass(dataSource, config, config.rules(), lifecycle, metrics, clock);
    this.schedule =
        new SchedulePass(dataSource, config, config.rules(), lifecycle, store, metrics, clock);
    this.readingLoop =
        new PassLoop("reading pass", "poll", config.pollInterval(), readings::run, metrics);
    this.scheduleLoop =
        new PassLoop("timer pass", "cycle", config.cycleInterval(), schedule::run, metrics);
  }

  @Override
  public Future<?> start() {
    executor = vertx.createSharedWorkerExecutor(EXECUTOR, THREADS);
    readingLoop.start();
    scheduleLoop.start();
    LOG.info(
        "analytics - {} rules, new readings every {} ms, timer rules every {} s",
        config.rules().enabledRules().size(),
        config.pollInterval().toMillis(),
        config.cycleInterval().toSeconds());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.join(readingLoop.stop(), scheduleLoop.stop())
        .timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .otherwise(
            e -> {
              LOG.warn(
                  "analytics - a pass is still running {} s after stopping; closing the pool"
                      + " interrupts it",
                  STOP_TIMEOUT.toSeconds());
              return null;
            })
        .eventually(() -> executor.close());
  }

  /** People's and works systems' steps on this process's alerts (a works system resolves by it). */
  public PeopleSteps steps() {
    return steps;
  }

  public ReadingPass readingPass() {
    return readings;
  }

  public SchedulePass schedulePass() {
    return schedule;
  }

  /** Liveness of the passes for {@code /ready}: false while a pass keeps failing. */
  public Map<String, Boolean> readiness() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    m.put("readings", !readingLoop.failing);
    m.put("schedule", !scheduleLoop.failing);
    return m;
  }

  /** A pass body: blocks, and throws when the pass failed. */
  @FunctionalInterface
  private interface Pass {
    void run() throws Exception;
  }

  /**
   * One pass run again {@code interval} after each run ends. Its fields other than {@code failing}
   * are only touched on the verticle's context: the timer and the completion of each run are
   * delivered there.
   */
  private final class PassLoop {
    private final String label;
    private final String turn;
    private final Duration interval;
    private final Pass pass;
    private final AnalyticsMetrics metrics;
    private volatile boolean failing;
    private boolean stopped;
    private long timer = -1;
    private Future<Void> inProgress = Future.succeededFuture();

    PassLoop(String label, String turn, Duration interval, Pass pass, AnalyticsMetrics metrics) {
      this.label = label;
      this.turn = turn;
      this.interval = interval;
      this.pass = pass;
      this.metrics = metrics;
    }

    void start() {
      run();
    }

    private void run() {
      timer = -1;
      if (stopped) {
        return;
      }
      inProgress = executor.executeBlocking(this::runOnce, false);
      inProgress.onComplete(
          ar -> {
            if (ar.failed()) {
              LOG.error("analytics - {} failed unexpectedly", label, ar.cause());
            }
            if (!stopped) {
              timer = vertx.setTimer(interval.toMillis(), id -> run());
            }
          });
    }

    /** On a worker thread: one pass, its failure logged once per streak. */
    private Void runOnce() {
      try {
        pass.run();
        if (failing) {
          failing = false;
          LOG.info("analytics - {} recovered", label);
        }
      } catch (Exception e) {
        metrics.failed();
        if (!failing) {
          failing = true;
          LOG.warn("analytics - {} failed, retrying at the next {}", label, turn, e);
        }
      }
      return null;
    }

    /** Cancels the next run; the future completes when the run in progress, if any, has ended. */
    Future<Void> stop() {
      stopped = true;
      if (timer != -1) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      return inProgress.otherwiseEmpty();
    }
  }
}
