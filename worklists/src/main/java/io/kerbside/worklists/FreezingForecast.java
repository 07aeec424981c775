package io.kerbside.worklists;

/**
 * When a surface reaches freezing at its present trend: a straight line through the latest surface
 * temperature with the least-squares slope of the recent readings. Pure; no database.
 */
final class FreezingForecast {
  /** Fewest readings a trend is trusted from. */
  static final int MIN_POINTS = 3;

  private FreezingForecast() {}

  /**
   * Hours until {@code latestC} reaches {@code freezingC}: 0 when it is there already, infinite
   * when it is not falling (or there are too few readings to tell).
   */
  static double hoursToFreezing(
      Double latestC, Double slopeCPerHour, int points, double freezingC) {
    if (latestC == null) {
      return Double.POSITIVE_INFINITY;
    }
    if (latestC <= freezingC) {
      return 0;
    }
    if (slopeCPerHour == null || points < MIN_POINTS || !(slopeCPerHour < 0)) {
      return Double.POSITIVE_INFINITY;
    }
    return (latestC - freezingC) / -slopeCPerHour;
  }
}
