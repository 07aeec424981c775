package io.kerbside.analytics.rules;

import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A device's readings over a stretch of time, oldest first, ending at the instant the rule is
 * evaluated as of. Immutable; views share the underlying list.
 */
public final class ReadingWindow {
  private static final ReadingWindow EMPTY = new ReadingWindow(List.of());

  private final List<WindowReading> readings;

  private ReadingWindow(List<WindowReading> sortedReadings) {
    this.readings = sortedReadings;
  }

  /** A window of {@code readings} in any order (sorted here by time). */
  public static ReadingWindow of(List<WindowReading> readings) {
    List<WindowReading> sorted = new ArrayList<>(readings);
    sorted.sort(Comparator.comparing(WindowReading::at));
    return new ReadingWindow(List.copyOf(sorted));
  }

  public static ReadingWindow empty() {
    return EMPTY;
  }

  /** Readings oldest first. */
  public List<WindowReading> readings() {
    return readings;
  }

  public boolean isEmpty() {
    return readings.isEmpty();
  }

  public int size() {
    return readings.size();
  }

  /** The newest reading, if any. */
  public Optional<WindowReading> latest() {
    return readings.isEmpty() ? Optional.empty() : Optional.of(readings.get(readings.size() - 1));
  }

  /** The reading before the newest one, if any. */
  public Optional<WindowReading> previous() {
    return readings.size() < 2 ? Optional.empty() : Optional.of(readings.get(readings.size() - 2));
  }

  /** The values of {@code metric}, oldest first, skipping readings that do not carry it. */
  public List<Sample> series(Metric metric) {
    List<Sample> out = new ArrayList<>();
    for (WindowReading r : readings) {
      Double v = r.values().get(metric);
      if (v != null) {
        out.add(new Sample(r.at(), v));
      }
    }
    return out;
  }

  /** The newest value of {@code metric}. */
  public Optional<Sample> latest(Metric metric) {
    for (int i = readings.size() - 1; i >= 0; i--) {
      Double v = readings.get(i).values().get(metric);
      if (v != null) {
        return Optional.of(new Sample(readings.get(i).at(), v));
      }
    }
    return Optional.empty();
  }

  /** The readings at or before {@code until}, at most {@code lookback} older than it. */
  public ReadingWindow until(Instant until, Duration lookback) {
    Instant from = until.minus(lookback);
    int start = 0;
    while (start < readings.size() && readings.get(start).at().isBefore(from)) {
      start++;
    }
    int end = start;
    while (end < readings.size() && !readings.get(end).at().isAfter(until)) {
      end++;
    }
    return start == 0 && end == readings.size()
        ? this
        : new ReadingWindow(readings.subList(start, end));
  }
}
