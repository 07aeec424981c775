package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A device has gone silent: no reading for {@code missed_intervals} times its expected interval.
 *
 * <ul>
 *   <li>On the timer ({@link Trigger#SCHEDULE}), as of the wall clock: ACTIVE when the newest
 *       stored reading ({@link RuleInput#lastReadingAt()}, else the window's newest) is older than
 *       the allowance (a device that missed two readings of three is late, not offline), observed
 *       at the instant the device became overdue (last reading + the allowance); CLEAR when it is
 *       not. A device that never reported is UNKNOWN (nothing to expect yet).
 *   <li>At a reading ({@link Trigger#READING}): a reading that ends a silence longer than the
 *       allowance is ACTIVE, observed when the device became overdue (previous reading + the
 *       allowance), so an outage the timer missed (analytics down, a replay of old readings) is
 *       still recorded; the next reading that follows its predecessor within the allowance is
 *       CLEAR. An alert raised this way therefore resolves one reading after the device came back
 *       (or at the next timer cycle). Without a previous reading within {@code history_h} it is
 *       UNKNOWN.
 * </ul>
 *
 * The value is the silence in minutes; the details give where it began and ended. There is no band
 * between raising and clearing: a reading on time is proof the device is back.
 */
public final class DeviceOfflineRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "device-offline",
          EnumSet.allOf(DeviceKind.class),
          Scope.DEVICE,
          Set.of(Trigger.READING, Trigger.SCHEDULE),
          Severity.MAJOR,
          RuleParams.of("missed_intervals", 3, "history_h", 24),
          "no reading for missed_intervals times the device's expected interval");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("history_h");
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    Duration allowance =
        Duration.ofMillis(
            Math.round(
                in.subject().expectedInterval().toMillis() * in.params().get("missed_intervals")));
    if (in.trigger() == Trigger.SCHEDULE) {
      Optional<Instant> last =
          in.lastReadingAt().or(() -> in.window().latest().map(WindowReading::at));
      if (last.isEmpty()) {
        return Evaluation.unknown(in.asOf());
      }
      Duration silence = Duration.between(last.get(), in.asOf());
      if (silence.compareTo(allowance) > 0) {
        return offline(last.get(), in.asOf(), allowance, false);
      }
      return Evaluation.clear(last.get(), minutes(silence));
    }
    List<WindowReading> readings = in.window().readings();
    if (readings.size() < 2) {
      return Evaluation.unknown(in.asOf());
    }
    Instant newest = readings.get(readings.size() - 1).at();
    Instant previous = readings.get(readings.size() - 2).at();
    Duration gap = Duration.between(previous, newest);
    if (gap.compareTo(allowance) > 0) {
      return offline(previous, newest, allowance, true);
    }
    return Evaluation.clear(newest, minutes(gap));
  }

  private static Evaluation offline(
      Instant last, Instant until, Duration allowance, boolean ended) {
    double minutes = minutes(Duration.between(last, until));
    return Evaluation.active(
        last.plus(allowance),
        minutes,
        String.format(
            Locale.ROOT,
            ended ? "device was silent for %.0f min" : "device silent for %.0f min",
            minutes),
        Map.of(
            "last_reading_at",
            last.toString(),
            ended ? "back_at" : "as_of",
            until.toString(),
            "silence_min",
            minutes));
  }

  private static double minutes(Duration d) {
    return d.toMillis() / 60_000.0;
  }
}
