package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.analytics.alerts.AlertWrites;
import io.kerbside.analytics.alerts.Outcome;
import io.kerbside.analytics.rules.Evaluation;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Evaluates older history on purpose: the reading-triggered rules at every reading of {@code [from,
 * to)}, as of that reading's time, as the reading pass would have. Each episode of a condition it
 * finds (from the first reading that shows it to the one that shows it cleared) that no alert
 * already covers is recorded: a past episode as an alert resolved by Kerbside with its condition's
 * own times and no notification (history is not sent to crews), an episode still going at the end
 * of the range as an open alert, notified as any other. Running it again over the same range finds
 * every episode covered and records nothing: it is idempotent. It neither reads nor moves the
 * reading pass's progress, and takes the reading pass's lock one batch of devices at a time.
 */
public final class ReplayPass {
  private static final Duration LOCK_WAIT = Duration.ofSeconds(60);

  private final DataSource dataSource;
  private final AnalyticsConfig config;
  private final Clock clock;
  private final RulePlan plan;
  private final SubjectRepository subjects;
  private final WindowRepository windows = new WindowRepository();
  private final AlertWrites writes = new AlertWrites();

  public ReplayPass(
      DataSource dataSource, AnalyticsConfig config, RuleSettings rules, Clock clock) {
    this.dataSource = dataSource;
    this.config = config;
    this.clock = clock;
    this.plan = new RulePlan(rules, Trigger.READING);
    this.subjects = new SubjectRepository(config.zone());
  }

  /**
   * What a replay did.
   *
   * @param devices devices with readings in the range
   * @param evaluations rule evaluations made
   * @param episodes episodes of a condition found
   * @param recorded past episodes recorded as resolved alerts
   * @param opened episodes still going at the end of the range, opened as alerts
   * @param known episodes an alert already covered (a second run finds only these)
   */
  public record Report(
      int devices, long evaluations, int episodes, int recorded, int opened, int known) {}

  /**
   * Replays {@code [from, to)} for the devices of council {@code councilId} (null: every council).
   *
   * @throws IllegalArgumentException when {@code from} is not before {@code to}, or {@code to} is
   *     in the future
   * @throws SQLException when the database fails, or another instance holds the evaluation lock for
   *     longer than a minute
   */
  public Report replay(Instant from, Instant to, Integer councilId) throws SQLException {
    Instant now = clock.instant();
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("--from must be before --to");
    }
    if (to.isAfter(now)) {
      throw new IllegalArgumentException("--to must not be in the future");
    }
    List<Long> pks;
    try (Connection c = dataSource.getConnection()) {
      pks = windows.devicesWithReadings(c, from, to, councilId);
    }
    long evaluations = 0;
    int episodes = 0;
    int recorded = 0;
    int opened = 0;
    int known = 0;
    for (int i = 0; i < pks.size(); i += config.devicesPerPass()) {
      List<Long> batch = pks.subList(i, Math.min(pks.size(), i + config.devicesPerPass()));
      try (EvaluationLock held = lock()) {
        Report r = replayBatch(batch, from, to, now);
        evaluations += r.evaluations();
        episodes += r.episodes();
        recorded += r.recorded();
        opened += r.opened();
        known += r.known();
      }
    }
    return new Report(pks.size(), evaluations, episodes, recorded, opened, known);
  }

  private EvaluationLock lock() throws SQLException {
    Instant deadline = clock.instant().plus(LOCK_WAIT);
    while (true) {
      Optional<EvaluationLock> lock = EvaluationLock.tryTake(dataSource, EvaluationLock.READINGS);
      if (lock.isPresent()) {
        return lock.get();
      }
      if (clock.instant().isAfter(deadline)) {
        throw new SQLException(
            "another analytics instance held the evaluation lock for "
                + LOCK_WAIT.toSeconds()
                + " s; try again");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for the evaluation lock", e);
      }
    }
  }

  private Report replayBatch(List<Long> devicePks, Instant from, Instant to, Instant now)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<Long, SubjectRow> rows = subjects.load(c, devicePks);
        Map<Long, DeviceKind> kinds = new HashMap<>();
        Instant earliest = from;
        for (SubjectRow row : rows.values()) {
          kinds.put(row.subject().devicePk(), row.subject().kind());
          Instant needed = from.minus(plan.maxLookback(row.subject()));
          if (needed.isBefore(earliest)) {
            earliest = needed;
          }
        }
        Map<Long, List<StoredReading>> byDevice =
            windows.readings(c, kinds, earliest.minusMillis(1), to);
        Map<String, List<Outcome>> groups = new LinkedHashMap<>();
        long evaluations = 0;
        for (SubjectRow row : rows.values()) {
          List<StoredReading> stored = byDevice.getOrDefault(row.subject().devicePk(), List.of());
          if (stored.isEmpty()) {
            continue;
          }
          List<WindowReading> all = new ArrayList<>(stored.size());
          stored.forEach(s -> all.add(s.reading()));
          ReadingWindow window = ReadingWindow.of(all);
          Optional<Instant> newest = Optional.of(all.get(all.size() - 1).at());
          for (StoredReading s : stored) {
            Instant at = s.reading().at();
            if (at.isBefore(from)) {
              continue;
            }
            for (Rule rule : plan.rules()) {
              if (!plan.applies(rule, row.subject())) {
                continue;
              }
              evaluations++;
              plan.evaluate(rule, row.subject(), window, at, newest)
                  .filter(o -> o.evaluation().state() != Evaluation.State.UNKNOWN)
                  .ifPresent(
                      o ->
                          groups
                              .computeIfAbsent(
                                  o.subject().council().id()
                                      + "|"
                                      + o.subjectKey()
                                      + "|"
                                      + o.rule().code(),
                                  k -> new ArrayList<>())
                              .add(o));
            }
          }
        }
        int episodes = 0;
        int recorded = 0;
        int opened = 0;
        int known = 0;
        for (List<Outcome> group : groups.values()) {
          group.sort(Comparator.comparing(o -> o.evaluation().observedAt()));
          Outcome first = null;
          Evaluation last = null;
          Double peak = null;
          for (Outcome o : group) {
            Evaluation e = o.evaluation();
            if (e.isActive()) {
              if (first == null) {
                first = o;
                peak = null;
              }
              last = e;
              peak = worse(peak, e.value(), o.rule().higherIsWorse());
            } else if (e.isClear() && first != null) {
              episodes++;
              if (covered(c, first, e.observedAt())) {
                known++;
              } else {
                writes.recordPastEpisode(c, first, last, peak, e.observedAt(), now);
                recorded++;
              }
              first = null;
            }
          }
          if (first != null) {
            episodes++;
            if (covered(c, first, last.observedAt())) {
              known++;
            } else if (writes.openReplayed(c, first, last, peak, now)) {
              opened++;
            } else {
              known++;
            }
          }
        }
        c.commit();
        return new Report(devicePks.size(), evaluations, episodes, recorded, opened, known);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private boolean covered(Connection c, Outcome first, Instant end) throws SQLException {
    return writes.overlaps(
        c,
        first.subject().council().id(),
        first.subjectKey(),
        first.rule().code(),
        first.evaluation().observedAt(),
        end);
  }

  private static Double worse(Double peak, double value, boolean higherIsWorse) {
    if (Double.isNaN(value)) {
      return peak;
    }
    if (peak == null) {
      return value;
    }
    return higherIsWorse ? Math.max(peak, value) : Math.min(peak, value);
  }
}
