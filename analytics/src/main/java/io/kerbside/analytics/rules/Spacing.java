package io.kerbside.analytics.rules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Thins a device's readings to one per reporting interval before a rule counts "readings in a row".
 * A device that sends a burst (tens of readings a tenth of a second apart, after a reconnect or a
 * firmware retry) would otherwise satisfy "three low battery readings" or "six dark readings"
 * within a second. Of readings closer together than half the device's expected interval, the newest
 * is kept, so the newest reading always survives.
 */
final class Spacing {
  private Spacing() {}

  /** The window's readings, oldest first, at most one per half expected interval. */
  static List<WindowReading> readings(RuleInput in) {
    return thin(in.window().readings(), minGap(in.subject()), WindowReading::at);
  }

  /** The readings, oldest first, at most one per half the subject's expected interval. */
  static List<WindowReading> readings(List<WindowReading> readings, Subject subject) {
    return thin(readings, minGap(subject), WindowReading::at);
  }

  /** The samples, oldest first, at most one per half the subject's expected interval. */
  static List<Sample> samples(List<Sample> samples, Subject subject) {
    return thin(samples, minGap(subject), Sample::at);
  }

  private static Duration minGap(Subject subject) {
    Duration interval = subject.expectedInterval();
    return interval == null || interval.isNegative() ? Duration.ZERO : interval.dividedBy(2);
  }

  private static <T> List<T> thin(
      List<T> items, Duration minGap, java.util.function.Function<T, java.time.Instant> at) {
    if (minGap.isZero() || items.size() < 2) {
      return items;
    }
    List<T> kept = new ArrayList<>();
    java.time.Instant keptAt = null;
    for (int i = items.size() - 1; i >= 0; i--) {
      T item = items.get(i);
      java.time.Instant t = at.apply(item);
      if (keptAt == null || !t.isAfter(keptAt.minus(minGap))) {
        kept.add(item);
        keptAt = t;
      }
    }
    Collections.reverse(kept);
    return kept;
  }
}
