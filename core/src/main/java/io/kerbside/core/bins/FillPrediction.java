package io.kerbside.core.bins;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How fast a bin fills since it was last emptied, and how full it will be at a given time: the one
 * computation that the {@code bin-predicted-full} rule (analytics) and collection planning share.
 *
 * <p>An emptying is a drop of at least {@code emptyingDropPct} points between two readings; the
 * rate is fitted by least squares over the readings after the newest emptying and, when the
 * readings cover the whole day before the newest one, is the lower of that fit and the day's mean
 * fill rate (bins fill by the time of day, so a busy afternoon is not extrapolated through a quiet
 * night). A pure function: no clock, no database; thread-safe.
 */
public final class FillPrediction {
  private FillPrediction() {}

  /** One fill reading: percent full at a time. */
  public record Point(Instant at, double fillPct) {}

  /**
   * What the readings say about a bin's filling.
   *
   * @param latest the newest reading
   * @param segmentStart index of the first reading after the newest emptying (0 without one)
   * @param segmentPoints how many readings follow the newest emptying, that one included
   * @param segmentHours the hours those readings span
   * @param ratePctPerHour fill rate in percentage points an hour (NaN when it cannot be fitted)
   */
  public record FillRate(
      Point latest,
      int segmentStart,
      int segmentPoints,
      double segmentHours,
      double ratePctPerHour) {

    /** True when an emptying was seen in the readings. */
    public boolean emptiedInWindow() {
      return segmentStart > 0;
    }

    /** True when the segment has at least {@code minPoints} readings spanning {@code minSpanH}. */
    public boolean enoughReadings(int minPoints, double minSpanH) {
      return segmentPoints >= minPoints && segmentHours >= minSpanH;
    }

    /** True when the bin is filling (a positive rate). */
    public boolean filling() {
      return ratePctPerHour > 0;
    }

    /**
     * The predicted fill at {@code at} in percent, never below the latest reading and not capped at
     * 100 (above 100 means overflowing); the latest reading itself when the bin is not filling.
     */
    public double fillAt(Instant at) {
      if (!filling() || !at.isAfter(latest.at())) {
        return latest.fillPct();
      }
      return latest.fillPct() + ratePctPerHour * hours(latest.at(), at);
    }

    /** When the bin reaches {@code pct}: the latest reading's time when it already has. */
    public Optional<Instant> reaches(double pct) {
      if (latest.fillPct() >= pct) {
        return Optional.of(latest.at());
      }
      if (!filling()) {
        return Optional.empty();
      }
      double h = (pct - latest.fillPct()) / ratePctPerHour;
      return Optional.of(latest.at().plusMillis(Math.round(h * 3_600_000)));
    }
  }

  /**
   * The fill rate since the last emptying.
   *
   * @param fill readings oldest first, at least one
   * @param emptyingDropPct the drop between two readings that counts as an emptying
   * @throws IllegalArgumentException when {@code fill} is empty
   */
  public static FillRate sinceLastEmptying(List<Point> fill, double emptyingDropPct) {
    if (fill.isEmpty()) {
      throw new IllegalArgumentException("no readings");
    }
    int start = segmentStart(fill, emptyingDropPct);
    List<Point> segment = fill.subList(start, fill.size());
    Point latest = fill.get(fill.size() - 1);
    double slope = slopePerHour(segment);
    double daily = dailyRate(fill, latest.at(), emptyingDropPct);
    if (!Double.isNaN(daily) && !Double.isNaN(slope)) {
      slope = Math.min(slope, daily);
    }
    return new FillRate(
        latest, start, segment.size(), hours(segment.get(0).at(), latest.at()), slope);
  }

  /** Index of the first reading after the newest drop of at least {@code emptyingDropPct}. */
  public static int segmentStart(List<Point> fill, double emptyingDropPct) {
    int start = 0;
    for (int i = 1; i < fill.size(); i++) {
      if (isEmptying(fill.get(i - 1), fill.get(i), emptyingDropPct)) {
        start = i;
      }
    }
    return start;
  }

  /**
   * Every emptying in the readings, oldest first: the index of the first reading after each drop of
   * at least {@code emptyingDropPct} (the reading before it, {@code index - 1}, is the fill the bin
   * was emptied at). The newest is {@link #segmentStart}'s answer.
   *
   * @param fill readings oldest first
   */
  public static List<Integer> emptyings(List<Point> fill, double emptyingDropPct) {
    List<Integer> at = new ArrayList<>();
    for (int i = 1; i < fill.size(); i++) {
      if (isEmptying(fill.get(i - 1), fill.get(i), emptyingDropPct)) {
        at.add(i);
      }
    }
    return at;
  }

  /** True when the fall from {@code before} to {@code after} is an emptying. */
  public static boolean isEmptying(Point before, Point after, double emptyingDropPct) {
    return before.fillPct() - after.fillPct() >= emptyingDropPct;
  }

  /**
   * Fill added over the 24 hours before {@code until} (rises only: emptyings are not negative
   * filling) per hour; NaN without a full day of readings.
   */
  public static double dailyRate(List<Point> fill, Instant until, double emptyingDropPct) {
    Instant from = until.minus(Duration.ofHours(24));
    if (fill.isEmpty() || fill.get(0).at().isAfter(from.plus(Duration.ofMinutes(30)))) {
      return Double.NaN;
    }
    double added = 0;
    for (int i = 1; i < fill.size(); i++) {
      if (fill.get(i).at().isAfter(from) && !fill.get(i).at().isAfter(until)) {
        double step = fill.get(i).fillPct() - fill.get(i - 1).fillPct();
        if (step > 0 || step > -emptyingDropPct) {
          added += Math.max(0, step);
        }
      }
    }
    return added / 24.0;
  }

  /**
   * The least-squares slope of the readings in points per hour; NaN for fewer than two readings or
   * no spread in time.
   */
  public static double slopePerHour(List<Point> points) {
    if (points.size() < 2) {
      return Double.NaN;
    }
    Instant t0 = points.get(0).at();
    double n = points.size();
    double sx = 0;
    double sy = 0;
    for (Point p : points) {
      sx += hours(t0, p.at());
      sy += p.fillPct();
    }
    double mx = sx / n;
    double my = sy / n;
    double sxx = 0;
    double sxy = 0;
    for (Point p : points) {
      double dx = hours(t0, p.at()) - mx;
      sxx += dx * dx;
      sxy += dx * (p.fillPct() - my);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  static double hours(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 3_600_000.0;
  }
}
