package io.kerbside.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every meter of the analytics role's evaluation and alert lifecycle; names are {@code
 * kerbside.analytics.*}. Tags: {@code trigger} (reading, schedule), {@code rule} (the shipped
 * rules' codes), {@code step} (opened, reopened, resolved) — fixed sets, never an id.
 */
public final class AnalyticsMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> evaluations = new ConcurrentHashMap<>();
  private final Map<String, Timer> cycles = new ConcurrentHashMap<>();
  private final Map<String, Counter> steps = new ConcurrentHashMap<>();
  private final Timer readingToAlert;
  private final Counter failures;
  private final Counter skipped;

  public AnalyticsMetrics(MeterRegistry registry) {
    this.registry = registry;
    readingToAlert =
        Timer.builder("kerbside.analytics.reading.to.alert")
            .description("Time from a reading being stored to the alert it raised being recorded")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    failures =
        Counter.builder("kerbside.analytics.evaluation.failures")
            .description("Evaluation passes that failed and will be retried")
            .register(registry);
    skipped =
        Counter.builder("kerbside.analytics.readings.skipped")
            .description(
                "Newly stored readings older than the catch-up window, which the reading pass does"
                    + " not evaluate")
            .register(registry);
  }

  /** Counts rule evaluations of one trigger. */
  public void evaluated(String trigger, long n) {
    evaluations
        .computeIfAbsent(
            trigger,
            t ->
                Counter.builder("kerbside.analytics.evaluations")
                    .description("Rule evaluations (one rule, one subject, one instant)")
                    .tag("trigger", t)
                    .register(registry))
        .increment(n);
  }

  /** Times one evaluation pass (a poll of new readings, or a timer cycle). */
  public void pass(String trigger, Duration took) {
    cycles
        .computeIfAbsent(
            trigger,
            t ->
                Timer.builder("kerbside.analytics.evaluation")
                    .description("Duration of an evaluation pass")
                    .tag("trigger", t)
                    .register(registry))
        .record(took);
  }

  /** Counts a lifecycle step of an alert of {@code rule}. */
  public void alertStep(String rule, String step) {
    steps
        .computeIfAbsent(
            rule + "|" + step,
            k ->
                Counter.builder("kerbside.analytics.alerts")
                    .description("Alert lifecycle steps taken by Kerbside, by rule")
                    .tag("rule", rule)
                    .tag("step", step)
                    .register(registry))
        .increment();
  }

  public void readingToAlert(Duration latency) {
    readingToAlert.record(latency.isNegative() ? Duration.ZERO : latency);
  }

  public void failed() {
    failures.increment();
  }

  /** Counts readings left out of a pass for being older than the catch-up window. */
  public void skipped(long readings) {
    skipped.increment(readings);
  }
}
