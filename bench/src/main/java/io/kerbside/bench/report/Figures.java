package io.kerbside.bench.report;

import java.util.Locale;

/** How figures are written in the report; NaN (not measured) is written as {@code n/a}. */
public final class Figures {
  private static final double MB = 1024.0 * 1024.0;

  private Figures() {}

  /** {@code 123,456 readings/s}. */
  public static String rate(double perSecond) {
    return Double.isNaN(perSecond)
        ? "n/a"
        : String.format(Locale.ROOT, "%,.0f readings/s", perSecond);
  }

  /** {@code 1,000,000}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code 12.34 s}. */
  public static String seconds(double s) {
    return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.2f s", s);
  }

  /** {@code 12 ms} below 10 s, else seconds. */
  public static String duration(double seconds) {
    if (Double.isNaN(seconds)) {
      return "n/a";
    }
    return seconds < 10
        ? String.format(Locale.ROOT, "%.0f ms", seconds * 1000)
        : String.format(Locale.ROOT, "%.1f s", seconds);
  }

  /** {@code 87.5 %}. */
  public static String percent(double fraction) {
    return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", fraction * 100);
  }

  /** {@code 12.3 x}. */
  public static String multiple(double m) {
    return Double.isNaN(m) ? "n/a" : String.format(Locale.ROOT, "%.1f x", m);
  }

  /** {@code 123 MB} (mebibytes), or n/a for a negative (unknown) size. */
  public static String megabytes(double bytes) {
    return Double.isNaN(bytes) || bytes < 0
        ? "n/a"
        : String.format(Locale.ROOT, "%.0f MB", bytes / MB);
  }

  /** {@code 1.23 cores}. */
  public static String cores(double cores) {
    return Double.isNaN(cores) ? "n/a" : String.format(Locale.ROOT, "%.2f cores", cores);
  }

  public static double toMegabytes(double bytes) {
    return bytes / MB;
  }
}
