package io.kerbside.analytics;

import io.kerbside.analytics.alerts.AlertLifecycle;
import io.kerbside.analytics.alerts.AlertStore;
import io.kerbside.analytics.evaluate.ReadingPass;
import io.kerbside.analytics.evaluate.SchedulePass;
import io.kerbside.analytics.notify.Routing;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics role: the reading pass every {@link AnalyticsConfig#pollInterval()} and the timer
 * pass every {@link AnalyticsConfig#cycleInterval()}, each on its own thread (JDBC blocks; no event
 * loop is involved). A failing pass is logged once per failure streak and retried at its next turn;
 * progress lives in the database, so nothing is skipped.
 */
public final class AnalyticsService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsService.class);

  private final ScheduledExecutorService timers;
  private final AlertStore store;
  private final ReadingPass readings;
  private final SchedulePass schedule;
  private final AnalyticsMetrics metrics;
  private final AtomicBoolean readingsFailing = new AtomicBoolean();
  private final AtomicBoolean scheduleFailing = new AtomicBoolean();

  private AnalyticsService(
      AlertStore store, ReadingPass readings, SchedulePass schedule, AnalyticsMetrics metrics) {
    this.store = store;
    this.readings = readings;
    this.schedule = schedule;
    this.metrics = metrics;
    this.timers =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "kerbside-analytics");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Builds the passes without starting the timers (tests drive {@link #readingPass()} directly).
   */
  public static AnalyticsService create(
      AnalyticsConfig config,
      DataSource dataSource,
      Routing routing,
      AnalyticsMetrics metrics,
      Clock clock) {
    AlertStore store = new AlertStore(dataSource, routing);
    AlertLifecycle lifecycle = new AlertLifecycle(store, config.flapWindow(), metrics);
    return new AnalyticsService(
        store,
        new ReadingPass(dataSource, config, config.rules(), lifecycle, metrics, clock),
        new SchedulePass(dataSource, config, config.rules(), lifecycle, store, metrics, clock),
        metrics);
  }

  /** Creates the service and starts its timers. */
  public static AnalyticsService start(
      AnalyticsConfig config,
      DataSource dataSource,
      Routing routing,
      AnalyticsMetrics metrics,
      Clock clock) {
    AnalyticsService s = create(config, dataSource, routing, metrics, clock);
    s.timers.scheduleWithFixedDelay(
        s::runReadings, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    s.timers.scheduleWithFixedDelay(
        s::runSchedule, 0, config.cycleInterval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "analytics - {} rules, new readings every {} ms, timer rules every {} s",
        config.rules().enabledRules().size(),
        config.pollInterval().toMillis(),
        config.cycleInterval().toSeconds());
    return s;
  }

  public AlertStore alerts() {
    return store;
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
    m.put("readings", !readingsFailing.get());
    m.put("schedule", !scheduleFailing.get());
    return m;
  }

  private void runReadings() {
    try {
      readings.run();
      if (readingsFailing.getAndSet(false)) {
        LOG.info("analytics - reading pass recovered");
      }
    } catch (Exception e) {
      metrics.failed();
      if (!readingsFailing.getAndSet(true)) {
        LOG.warn("analytics - reading pass failed, retrying at the next poll", e);
      }
    }
  }

  private void runSchedule() {
    try {
      schedule.run();
      if (scheduleFailing.getAndSet(false)) {
        LOG.info("analytics - timer pass recovered");
      }
    } catch (Exception e) {
      metrics.failed();
      if (!scheduleFailing.getAndSet(true)) {
        LOG.warn("analytics - timer pass failed, retrying at the next cycle", e);
      }
    }
  }

  @Override
  public void close() {
    timers.shutdown();
    try {
      if (!timers.awaitTermination(30, TimeUnit.SECONDS)) {
        timers.shutdownNow();
      }
    } catch (InterruptedException e) {
      timers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
