package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.analytics.AnalyticsMetrics;
import io.kerbside.analytics.alerts.AlertLifecycle;
import io.kerbside.analytics.alerts.Outcome;
import io.kerbside.analytics.rules.ReadingWindow;
import io.kerbside.analytics.rules.Rule;
import io.kerbside.analytics.rules.RuleSettings;
import io.kerbside.analytics.rules.Trigger;
import io.kerbside.analytics.rules.WindowReading;
import io.kerbside.core.DeviceKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-driven pass: finds devices with newly committed readings and evaluates the
 * reading-triggered rules at each reading newer than the device's progress, oldest first, as of
 * that reading's time (so a day of readings delivered at once is judged as it happened). One
 * instance at a time runs it (advisory lock); progress is stored with the alerts it produced, so a
 * restart or another instance neither misses nor repeats a reading.
 */
public final class ReadingPass {
  private static final Logger LOG = LoggerFactory.getLogger(ReadingPass.class);

  static final String CURSOR = "readings";

  /** How often readings too old to evaluate are counted (the query reads every partition). */
  private static final Duration SKIPPED_CHECK_INTERVAL = Duration.ofMinutes(1);

  private Instant skippedCheckedAt;
  private Instant skippedCursor;

  /** Commit-time slack: an ingest transaction that began before the cursor may commit after it. */
  static final Duration OVERLAP = Duration.ofSeconds(10);

  /** Readings further in the future than this are not evaluated (ingest rejects them anyway). */
  static final Duration MAX_FUTURE = Duration.ofMinutes(5);

  private final DataSource dataSource;
  private final AnalyticsConfig config;
  private final AlertLifecycle lifecycle;
  private final AnalyticsMetrics metrics;
  private final Clock clock;
  private final RulePlan plan;
  private final SubjectRepository subjects;
  private final WindowRepository windows = new WindowRepository();
  private final ProgressRepository progress = new ProgressRepository();

  public ReadingPass(
      DataSource dataSource,
      AnalyticsConfig config,
      RuleSettings rules,
      AlertLifecycle lifecycle,
      AnalyticsMetrics metrics,
      Clock clock) {
    this.dataSource = dataSource;
    this.config = config;
    this.lifecycle = lifecycle;
    this.metrics = metrics;
    this.clock = clock;
    this.plan = new RulePlan(rules, Trigger.READING);
    this.subjects = new SubjectRepository(config.zone());
  }

  /**
   * Runs one pass.
   *
   * @return the number of devices evaluated, or -1 when another instance is evaluating
   */
  public int run() throws SQLException {
    Optional<EvaluationLock> lock = EvaluationLock.tryTake(dataSource, EvaluationLock.READINGS);
    if (lock.isEmpty()) {
      return -1;
    }
    long started = System.nanoTime();
    try (EvaluationLock held = lock.get()) {
      Instant now = clock.instant();
      Instant floor = now.minus(config.catchUp());
      WindowRepository.NewReadings found;
      try (Connection c = dataSource.getConnection()) {
        Instant cursor = progress.cursor(c, CURSOR).orElse(floor);
        found = windows.committedSince(c, cursor.minus(OVERLAP), floor);
        countSkipped(c, cursor, floor, now);
      }
      List<Long> pks = found.devicePks();
      for (int i = 0; i < pks.size(); i += config.devicesPerPass()) {
        evaluate(
            pks.subList(i, Math.min(pks.size(), i + config.devicesPerPass())),
            found.newestTs(),
            now);
      }
      if (found.newestStoredAt() != null) {
        try (Connection c = dataSource.getConnection()) {
          progress.advance(c, CURSOR, found.newestStoredAt());
        }
      }
      if (!pks.isEmpty()) {
        metrics.pass("reading", Duration.ofNanos(System.nanoTime() - started));
      }
      return pks.size();
    }
  }

  /**
   * Counts and logs, at most once a minute, the readings stored since the last count that are older
   * than the catch-up window: they are not evaluated, but not silently.
   */
  private void countSkipped(Connection c, Instant cursor, Instant floor, Instant now)
      throws SQLException {
    if (skippedCheckedAt != null && now.isBefore(skippedCheckedAt.plus(SKIPPED_CHECK_INTERVAL))) {
      return;
    }
    skippedCheckedAt = now;
    Instant from = skippedCursor != null ? skippedCursor : cursor;
    WindowRepository.Skipped skipped = windows.skippedSince(c, from, floor);
    // What was stored up to the pass's cursor has been looked at; the next count starts there.
    skippedCursor =
        skipped.newestStoredAt() != null && skipped.newestStoredAt().isAfter(cursor)
            ? skipped.newestStoredAt()
            : cursor;
    if (skipped.count() == 0) {
      return;
    }
    metrics.skipped(skipped.count());
    LOG.warn(
        "analytics - {} newly stored readings are older than the catch-up window ({} h, {})"
            + " and were not evaluated; a larger {} evaluates such a backlog",
        skipped.count(),
        config.catchUp().toHours(),
        AnalyticsConfig.CATCH_UP,
        AnalyticsConfig.CATCH_UP);
  }

  private void evaluate(List<Long> devicePks, Map<Long, Instant> newestTs, Instant now)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<Long, SubjectRow> rows = subjects.load(c, devicePks);
        Instant catchUpFloor = now.minus(config.catchUp());
        Instant from = now;
        Map<Long, Instant> floors = new HashMap<>();
        for (SubjectRow row : rows.values()) {
          Instant f =
              row.evaluatedUntil() == null || row.evaluatedUntil().isBefore(catchUpFloor)
                  ? catchUpFloor
                  : row.evaluatedUntil();
          Instant newest = newestTs.get(row.subject().devicePk());
          if (newest == null || !newest.isAfter(f)) {
            // Seen again only because of the commit-time overlap, or a late reading older than
            // the device's progress: nothing to judge, so no window to load.
            continue;
          }
          floors.put(row.subject().devicePk(), f);
          Instant needed = f.minus(plan.maxLookback(row.subject()));
          if (needed.isBefore(from)) {
            from = needed;
          }
        }
        Map<Long, DeviceKind> kinds = new HashMap<>();
        rows.forEach(
            (pk, row) -> {
              if (floors.containsKey(pk)) {
                kinds.put(pk, row.subject().kind());
              }
            });
        Map<Long, List<StoredReading>> byDevice = windows.readings(c, kinds, from);
        List<Outcome> outcomes = new ArrayList<>();
        Map<Long, Instant> evaluatedUntil = new HashMap<>();
        Map<Long, Instant> heardAt = new HashMap<>();
        Map<String, Instant> storedAt = new HashMap<>();
        long evaluations = 0;
        Instant horizon = now.plus(MAX_FUTURE);
        for (SubjectRow row : rows.values()) {
          long pk = row.subject().devicePk();
          if (!floors.containsKey(pk)) {
            continue;
          }
          List<StoredReading> stored = byDevice.getOrDefault(pk, List.of());
          if (stored.isEmpty()) {
            continue;
          }
          List<WindowReading> all = new ArrayList<>(stored.size());
          for (StoredReading s : stored) {
            all.add(s.reading());
          }
          ReadingWindow window = ReadingWindow.of(all);
          Optional<Instant> newest = Optional.of(all.get(all.size() - 1).at());
          Instant floor = floors.get(pk);
          Instant last = null;
          for (StoredReading s : stored) {
            heardAt.merge(pk, s.storedAt(), (a, b) -> a.isAfter(b) ? a : b);
            Instant at = s.reading().at();
            if (!at.isAfter(floor) || at.isAfter(horizon)) {
              continue;
            }
            for (Rule rule : plan.rules()) {
              if (!plan.applies(rule, row.subject())) {
                continue;
              }
              evaluations++;
              plan.evaluate(rule, row.subject(), window, at, newest)
                  .ifPresent(
                      o -> {
                        outcomes.add(o);
                        storedAt.put(pk + "@" + o.evaluation().observedAt(), s.storedAt());
                      });
            }
            last = at;
          }
          if (last != null) {
            evaluatedUntil.put(pk, last);
          }
        }
        AlertLifecycle.Steps steps = lifecycle.apply(c, outcomes, now);
        progress.evaluated(c, evaluatedUntil, heardAt);
        c.commit();
        metrics.evaluated("reading", evaluations);
        Instant committed = clock.instant();
        for (Outcome o : steps.raised()) {
          Instant s = storedAt.get(o.subject().devicePk() + "@" + o.evaluation().observedAt());
          if (s != null) {
            metrics.readingToAlert(Duration.between(s, committed));
          }
        }
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
