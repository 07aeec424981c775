package io.kerbside.analytics.alerts;

import io.kerbside.analytics.AnalyticsMetrics;
import io.kerbside.analytics.rules.Evaluation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns rule evaluations into alert steps:
 *
 * <ul>
 *   <li>a condition with no active alert opens one (the database keeps it to one per subject and
 *       rule, whoever evaluates);
 *   <li>a repeat while active updates it (latest value, peak, last observed) and tells nobody;
 *   <li>a clear resolves it (the rule's own hysteresis decides what "clear" is);
 *   <li>a condition that returns within the flap window after Kerbside resolved it re-opens the
 *       same alert instead of raising a new one.
 * </ul>
 *
 * Evaluations of one subject and rule are applied in the order given (oldest first). All writes go
 * through the caller's connection, so they commit with the evaluation's progress.
 */
public final class AlertLifecycle {
  private final AlertWrites store;
  private final Duration flapWindow;
  private final AnalyticsMetrics metrics;

  public AlertLifecycle(AlertWrites store, Duration flapWindow, AnalyticsMetrics metrics) {
    this.store = store;
    this.flapWindow = flapWindow;
    this.metrics = metrics;
  }

  /** What one {@link #apply} did. */
  public record Steps(int opened, int reopened, int updated, int resolved, List<Outcome> raised) {
    public int notified() {
      return opened + reopened + resolved;
    }
  }

  public Steps apply(Connection c, List<Outcome> outcomes, Instant now) throws SQLException {
    Map<String, List<Outcome>> groups = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      if (o.evaluation().state() == Evaluation.State.UNKNOWN) {
        continue;
      }
      groups
          .computeIfAbsent(
              o.subject().council().id() + "|" + o.subjectKey() + "|" + o.rule().code(),
              k -> new ArrayList<>())
          .add(o);
    }
    java.util.Set<String> subjects = new java.util.HashSet<>();
    for (List<Outcome> group : groups.values()) {
      subjects.add(group.get(0).subjectKey());
    }
    java.util.Set<String> active = store.activeKeys(c, subjects);
    int opened = 0;
    int reopened = 0;
    int updated = 0;
    int resolved = 0;
    List<Outcome> raised = new ArrayList<>();
    for (Map.Entry<String, List<Outcome>> entry : groups.entrySet()) {
      List<Outcome> group = entry.getValue();
      if (!active.contains(entry.getKey())
          && group.stream().noneMatch(o -> o.evaluation().isActive())) {
        continue; // all clear, and nothing to resolve
      }
      Outcome first = group.get(0);
      Optional<AlertWrites.State> state =
          store.state(c, first.subject().council().id(), first.subjectKey(), first.rule().code());
      Long activeId =
          state.filter(s -> s.status().isActive()).map(AlertWrites.State::alertId).orElse(null);
      Double peak =
          state.filter(s -> s.status().isActive()).map(AlertWrites.State::peakValue).orElse(null);
      Long resolvedId =
          state.filter(s -> !s.status().isActive()).map(AlertWrites.State::alertId).orElse(null);
      Instant lastActiveAt = state.map(AlertWrites.State::lastObservedAt).orElse(null);
      Evaluation pendingUpdate = null;
      for (Outcome o : group) {
        Evaluation e = o.evaluation();
        String rule = o.rule().code();
        if (e.isActive()) {
          if (activeId != null) {
            peak = worse(peak, e.value(), o.rule().higherIsWorse());
            pendingUpdate = e;
            updated++;
          } else if (resolvedId != null
              && lastActiveAt != null
              && !e.observedAt().isAfter(lastActiveAt.plus(flapWindow))
              && store.reopen(c, resolvedId, e, now)) {
            activeId = resolvedId;
            peak = e.value();
            store.event(
                c, activeId, "reopened", AlertWrites.SYSTEM_ACTOR, e.summary(), e.details());
            metrics.alertStep(rule, "reopened");
            raised.add(o);
            reopened++;
          } else {
            Optional<Long> id = store.open(c, o, now);
            if (id.isPresent()) {
              activeId = id.get();
              peak = e.value();
              store.event(
                  c, activeId, "opened", AlertWrites.SYSTEM_ACTOR, e.summary(), e.details());
              metrics.alertStep(rule, "opened");
              raised.add(o);
              opened++;
            } else {
              // Another evaluator opened it a moment ago: from now on this is a repeat.
              Optional<AlertWrites.State> now2 =
                  store.state(c, o.subject().council().id(), o.subjectKey(), rule);
              activeId = now2.map(AlertWrites.State::alertId).orElse(null);
              peak = now2.map(AlertWrites.State::peakValue).orElse(null);
              pendingUpdate = e;
            }
          }
          lastActiveAt = e.observedAt();
        } else if (e.isClear() && activeId != null) {
          if (pendingUpdate != null) {
            store.update(c, activeId, pendingUpdate, peak, now);
            pendingUpdate = null;
          }
          if (store.resolve(c, activeId, AlertWrites.SYSTEM_ACTOR, now, e.observedAt())) {
            store.event(
                c,
                activeId,
                "resolved",
                AlertWrites.SYSTEM_ACTOR,
                "condition cleared",
                Map.of("cleared_at", e.observedAt().toString()));
            metrics.alertStep(rule, "resolved");
            resolved++;
          }
          resolvedId = activeId;
          activeId = null;
        }
      }
      if (pendingUpdate != null && activeId != null) {
        store.update(c, activeId, pendingUpdate, peak, now);
      }
    }
    return new Steps(opened, reopened, updated, resolved, raised);
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
