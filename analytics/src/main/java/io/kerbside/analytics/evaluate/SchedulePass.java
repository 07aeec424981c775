package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.analytics.AnalyticsMetrics;
import io.kerbside.analytics.alerts.AlertLifecycle;
import io.kerbside.analytics.alerts.AlertWrites;
import io.kerbside.analytics.alerts.Outcome;
import io.kerbside.analytics.rules.ReadingWindow;
import io.kerbside.analytics.rules.Rule;
import io.kerbside.analytics.rules.RuleSettings;
import io.kerbside.analytics.rules.Severity;
import io.kerbside.analytics.rules.Trigger;
import io.kerbside.analytics.rules.WindowReading;
import io.kerbside.core.DeviceKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The timer pass: evaluates the schedule-triggered rules (a device gone silent, a bin whose
 * predicted time to full comes within the horizon without a new reading) for every device as of the
 * wall clock, then re-notifies unacknowledged critical alerts. A rule that is also evaluated at
 * each reading is skipped for devices whose readings were evaluated within two of their intervals:
 * the reading pass already judged them on fresher data. One instance at a time runs it.
 */
public final class SchedulePass {
  private final DataSource dataSource;
  private final AnalyticsConfig config;
  private final AlertLifecycle lifecycle;
  private final AlertWrites store;
  private final AnalyticsMetrics metrics;
  private final Clock clock;
  private final RulePlan plan;
  private final SubjectRepository subjects;
  private final WindowRepository windows = new WindowRepository();

  public SchedulePass(
      DataSource dataSource,
      AnalyticsConfig config,
      RuleSettings rules,
      AlertLifecycle lifecycle,
      AlertWrites store,
      AnalyticsMetrics metrics,
      Clock clock) {
    this.dataSource = dataSource;
    this.config = config;
    this.lifecycle = lifecycle;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.plan = new RulePlan(rules, Trigger.SCHEDULE);
    this.subjects = new SubjectRepository(config.zone());
  }

  /** What one cycle did. */
  public record Cycle(int devices, long evaluations, int raised, int resolved, int escalated) {}

  /**
   * Runs one cycle.
   *
   * @return what it did, or empty when another instance is running it
   */
  public Optional<Cycle> run() throws SQLException {
    Optional<EvaluationLock> lock = EvaluationLock.tryTake(dataSource, EvaluationLock.SCHEDULE);
    if (lock.isEmpty()) {
      return Optional.empty();
    }
    long started = System.nanoTime();
    try (EvaluationLock held = lock.get()) {
      Instant now = clock.instant();
      List<SubjectRow> all = new ArrayList<>();
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        subjects.forEach(c, all::add);
        c.commit();
      }
      Map<Integer, Instant> clocks = streamClocks(all, now);
      long evaluations = 0;
      int raised = 0;
      int resolved = 0;
      for (int i = 0; i < all.size(); i += config.devicesPerPass()) {
        List<SubjectRow> chunk = all.subList(i, Math.min(all.size(), i + config.devicesPerPass()));
        long[] counted = new long[1];
        AlertLifecycle.Steps steps = evaluate(chunk, clocks, now, counted);
        evaluations += counted[0];
        raised += steps.raised().size();
        resolved += steps.resolved();
      }
      int escalated;
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        escalated = store.escalate(c, Severity.CRITICAL.code(), config.escalateAfter(), now);
        c.commit();
      }
      metrics.evaluated("schedule", evaluations);
      metrics.pass("schedule", Duration.ofNanos(System.nanoTime() - started));
      return Optional.of(new Cycle(all.size(), evaluations, raised, resolved, escalated));
    }
  }

  /**
   * Each council's stream clock: the wall clock, or the newest reading time evaluated in that
   * council if that is earlier. Silence is judged against what the stream has reached, so a backlog
   * or a replay being worked through does not make every device look offline, and a device is
   * offline when the others moved on without it. (When a whole council goes quiet its clock stops:
   * the pipeline's own alerts, not device alerts, report that.)
   */
  static Map<Integer, Instant> streamClocks(List<SubjectRow> rows, Instant now) {
    Map<Integer, Instant> clocks = new java.util.HashMap<>();
    for (SubjectRow row : rows) {
      if (row.evaluatedUntil() != null) {
        clocks.merge(
            row.subject().council().id(), row.evaluatedUntil(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    clocks.replaceAll((council, t) -> t.isAfter(now) ? now : t);
    return clocks;
  }

  private AlertLifecycle.Steps evaluate(
      List<SubjectRow> chunk, Map<Integer, Instant> clocks, Instant wall, long[] evaluations)
      throws SQLException {
    Map<Long, DeviceKind> needHistory = new java.util.HashMap<>();
    Instant from = wall;
    for (SubjectRow row : chunk) {
      if (row.evaluatedUntil() == null) {
        continue;
      }
      Instant now = clocks.get(row.subject().council().id());
      for (Rule rule : plan.rules()) {
        if (plan.applies(rule, row.subject()) && needsHistory(rule, row, now)) {
          needHistory.put(row.subject().devicePk(), row.subject().kind());
          Instant f = now.minus(plan.lookback(rule, row.subject()));
          if (f.isBefore(from)) {
            from = f;
          }
        }
      }
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<Long, List<StoredReading>> byDevice =
            needHistory.isEmpty() ? Map.of() : windows.readings(c, needHistory, from);
        List<Outcome> outcomes = new ArrayList<>();
        for (SubjectRow row : chunk) {
          if (row.evaluatedUntil() == null) {
            // Never reported, or its readings are not evaluated yet: nothing to judge on a timer.
            continue;
          }
          Instant now = clocks.get(row.subject().council().id());
          ReadingWindow window = window(byDevice.get(row.subject().devicePk()));
          Optional<Instant> lastReading = lastReading(row);
          for (Rule rule : plan.rules()) {
            if (!plan.applies(rule, row.subject()) || skip(rule, row, now)) {
              continue;
            }
            evaluations[0]++;
            plan.evaluate(rule, row.subject(), window, now, lastReading).ifPresent(outcomes::add);
          }
        }
        AlertLifecycle.Steps steps = lifecycle.apply(c, outcomes, wall);
        c.commit();
        return steps;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * A rule that needs history and also runs at each reading is left to the reading pass while the
   * device is fresh; one that needs no history costs nothing and always runs.
   */
  private boolean skip(Rule rule, SubjectRow row, Instant now) {
    return rule.triggers().contains(Trigger.READING)
        && !plan.lookback(rule, row.subject()).isZero()
        && row.evaluatedUntil() != null
        && row.evaluatedUntil()
            .isAfter(now.minus(row.subject().expectedInterval().multipliedBy(2)));
  }

  private boolean needsHistory(Rule rule, SubjectRow row, Instant now) {
    return !skip(rule, row, now) && !plan.lookback(rule, row.subject()).isZero();
  }

  private static ReadingWindow window(List<StoredReading> stored) {
    if (stored == null || stored.isEmpty()) {
      return ReadingWindow.empty();
    }
    List<WindowReading> readings = new ArrayList<>(stored.size());
    for (StoredReading s : stored) {
      readings.add(s.reading());
    }
    return ReadingWindow.of(readings);
  }

  /**
   * The device's newest reading time: what ingest recorded, or what the reading pass evaluated.
   * Empty until the reading pass has evaluated the device once, so readings stored but not yet
   * evaluated are not taken for silence.
   */
  private static Optional<Instant> lastReading(SubjectRow row) {
    if (row.evaluatedUntil() == null) {
      return Optional.empty();
    }
    Instant seen = row.lastSeenAt();
    return Optional.of(
        seen != null && seen.isAfter(row.evaluatedUntil()) ? seen : row.evaluatedUntil());
  }
}
