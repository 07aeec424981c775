package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A device loses messages on the way (poor radio coverage): over the last {@code window_h}, the
 * share of frame counters ({@link WindowReading#seq()}) missing between the first and the newest
 * received is above {@code loss_pct}, with at least {@code min_expected_frames} messages expected.
 *
 * <p>Repeated counters (duplicates) count once. A counter that goes backwards is a device restart:
 * counting starts again from it. A silence longer than {@code offline_intervals} expected intervals
 * is an outage, reported by {@code device-offline}, and its missing counters are left out here, so
 * that the rule measures patchy coverage rather than downtime. Readings without a counter (SenML)
 * are ignored; a device that sends none is UNKNOWN. Messages the ingest dead-letters (malformed,
 * from the future, impossible values) leave gaps too; at a few percent they stay well below the
 * threshold once {@code min_expected_frames} makes the share meaningful. The value is the loss in
 * percent.
 *
 * <p>Hysteresis: it clears when the loss is at or below {@code clear_loss_pct} (with enough
 * messages expected); between, UNKNOWN keeps the alert.
 */
public final class FrameCounterGapsRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "frame-counter-gaps",
          EnumSet.allOf(DeviceKind.class),
          Scope.DEVICE,
          Set.of(Trigger.READING),
          Severity.WARNING,
          RuleParams.of(
              "window_h", 6,
              "loss_pct", 20,
              "clear_loss_pct", 10,
              "min_expected_frames", 30,
              "offline_intervals", 3),
          "more than loss_pct of messages lost over window_h (frame counter gaps)");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("window_h");
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    List<WindowReading> readings = in.window().readings();
    Duration outage =
        Duration.ofMillis(
            Math.round(in.subject().expectedInterval().toMillis() * p.get("offline_intervals")));
    long expected = 0;
    long lost = 0;
    Long prevSeq = null;
    Instant prevAt = null;
    Instant newest = null;
    for (WindowReading r : readings) {
      if (r.seq() == null) {
        continue;
      }
      long seq = r.seq();
      newest = r.at();
      if (prevSeq == null || seq < prevSeq) {
        expected++;
      } else if (seq > prevSeq) {
        long step = seq - prevSeq;
        boolean isOutage = Duration.between(prevAt, r.at()).compareTo(outage) > 0;
        expected += isOutage ? 1 : step;
        lost += isOutage ? 0 : step - 1;
      }
      prevSeq = seq;
      prevAt = r.at();
    }
    if (newest == null || expected < Series.count(p, "min_expected_frames")) {
      return Evaluation.unknown(in.asOf());
    }
    double lossPct = 100.0 * lost / expected;
    if (lossPct > p.get("loss_pct")) {
      return Evaluation.active(
          newest,
          lossPct,
          String.format(
              Locale.ROOT,
              "%.0f %% of messages lost (%d of %d) over %.0f h: poor coverage",
              lossPct,
              lost,
              expected,
              p.get("window_h")),
          Map.of("lost", lost, "expected", expected));
    }
    if (lossPct <= p.get("clear_loss_pct")) {
      return Evaluation.clear(newest, lossPct);
    }
    return Evaluation.unknown(in.asOf());
  }
}
