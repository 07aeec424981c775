package io.kerbside.analytics.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** Small calculations over a metric's samples that several rules share. */
final class Series {
  private Series() {}

  /** The samples at or after {@code from}. */
  static List<Sample> since(List<Sample> samples, Instant from) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.at().isBefore(from)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The samples strictly before {@code until}. */
  static List<Sample> before(List<Sample> samples, Instant until) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.at().isBefore(until)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The newest {@code n} samples (fewer when there are fewer). */
  static List<Sample> last(List<Sample> samples, int n) {
    return samples.subList(Math.max(0, samples.size() - n), samples.size());
  }

  static double hours(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 3_600_000.0;
  }

  /**
   * The least-squares slope of the samples in units per hour; NaN for fewer than two samples or no
   * spread in time.
   */
  static double slopePerHour(List<Sample> samples) {
    if (samples.size() < 2) {
      return Double.NaN;
    }
    Instant t0 = samples.get(0).at();
    double n = samples.size();
    double sx = 0;
    double sy = 0;
    for (Sample s : samples) {
      sx += hours(t0, s.at());
      sy += s.value();
    }
    double mx = sx / n;
    double my = sy / n;
    double sxx = 0;
    double sxy = 0;
    for (Sample s : samples) {
      double dx = hours(t0, s.at()) - mx;
      sxx += dx * dx;
      sxy += dx * (s.value() - my);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  /**
   * The least-squares line's value at {@code at}: the level the samples show there, steadier than
   * the newest sample alone; NaN where {@link #slopePerHour} is.
   */
  static double fittedAt(List<Sample> samples, Instant at) {
    double slope = slopePerHour(samples);
    if (Double.isNaN(slope)) {
      return Double.NaN;
    }
    Instant t0 = samples.get(0).at();
    double mx = 0;
    double my = 0;
    for (Sample s : samples) {
      mx += hours(t0, s.at());
      my += s.value();
    }
    mx /= samples.size();
    my /= samples.size();
    return my + slope * (hours(t0, at) - mx);
  }

  static double median(List<Sample> samples) {
    return percentile(samples, 50);
  }

  /** The nearest-rank percentile ({@code pct} 0-100) of the values; NaN when empty. */
  static double percentile(List<Sample> samples, double pct) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    double[] v = samples.stream().mapToDouble(Sample::value).toArray();
    Arrays.sort(v);
    int rank = (int) Math.ceil(pct / 100 * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }

  /**
   * How many of the newest items, counted back from the last, satisfy {@code test} in a row: the
   * "readings in a row" a rule needs before it fires. Zero when the newest does not.
   */
  static <T> int newestInARow(List<T> items, Predicate<? super T> test) {
    int n = 0;
    for (int i = items.size() - 1; i >= 0 && test.test(items.get(i)); i--) {
      n++;
    }
    return n;
  }

  static int count(RuleParams params, String name) {
    return Math.max(1, (int) Math.round(params.get(name)));
  }
}
