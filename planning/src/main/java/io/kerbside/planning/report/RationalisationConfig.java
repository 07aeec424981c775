package io.kerbside.planning.report;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The bin rationalisation report's settings (docs/rationalisation.md), read once from the
 * environment; every threshold a recommendation uses is one of them.
 *
 * @param weeks how many weeks up to now the report covers when not told ({@code
 *     KERBSIDE_RATIONALISATION_WEEKS}, default 4, 1 to {@value #MAX_WEEKS})
 * @param zone the time zone of the weekdays ({@code KERBSIDE_RATIONALISATION_ZONE}, default {@code
 *     KERBSIDE_ANALYTICS_TIME_ZONE}, else {@code Europe/London})
 * @param emptyingDropPct a fall of at least this many points between two readings is an emptying,
 *     as planning and {@code bin-predicted-full} count one ({@code
 *     KERBSIDE_RATIONALISATION_EMPTYING_DROP_PCT}, default 20)
 * @param overflowPct a reading at least this full counts as overflowing ({@code
 *     KERBSIDE_RATIONALISATION_OVERFLOW_PCT}, default 100)
 * @param upsizeOverflowHours a bin overflowing more hours than this over the period should be
 *     upsized or get another lift ({@code KERBSIDE_RATIONALISATION_UPSIZE_OVERFLOW_H}, default 24)
 * @param underusedFillPct a bin emptied at a mean fill below this is underused, when it also fills
 *     slowly ({@code KERBSIDE_RATIONALISATION_UNDERUSED_FILL_PCT}, default 50)
 * @param underusedRatePctPerDay filling slowly: fewer points a day than this ({@code
 *     KERBSIDE_RATIONALISATION_UNDERUSED_RATE_PCT_PER_DAY}, default 15)
 * @param maxGapHours a reading stands for the bin's fill until the next one, for at most this long;
 *     a rise across a longer silence is not counted in the fill rate ({@code
 *     KERBSIDE_RATIONALISATION_MAX_GAP_H}, default 6)
 * @param minObservedHours a bin with readings covering fewer hours is not judged ({@code
 *     KERBSIDE_RATIONALISATION_MIN_OBSERVED_H}, default 24)
 */
public record RationalisationConfig(
    int weeks,
    ZoneId zone,
    double emptyingDropPct,
    double overflowPct,
    double upsizeOverflowHours,
    double underusedFillPct,
    double underusedRatePctPerDay,
    double maxGapHours,
    double minObservedHours) {
  public static final int MAX_WEEKS = 52;
  public static final String WEEKS = "KERBSIDE_RATIONALISATION_WEEKS";
  public static final String ZONE = "KERBSIDE_RATIONALISATION_ZONE";
  public static final String EMPTYING_DROP_PCT = "KERBSIDE_RATIONALISATION_EMPTYING_DROP_PCT";
  public static final String OVERFLOW_PCT = "KERBSIDE_RATIONALISATION_OVERFLOW_PCT";
  public static final String UPSIZE_OVERFLOW_H = "KERBSIDE_RATIONALISATION_UPSIZE_OVERFLOW_H";
  public static final String UNDERUSED_FILL_PCT = "KERBSIDE_RATIONALISATION_UNDERUSED_FILL_PCT";
  public static final String UNDERUSED_RATE_PCT_PER_DAY =
      "KERBSIDE_RATIONALISATION_UNDERUSED_RATE_PCT_PER_DAY";
  public static final String MAX_GAP_H = "KERBSIDE_RATIONALISATION_MAX_GAP_H";
  public static final String MIN_OBSERVED_H = "KERBSIDE_RATIONALISATION_MIN_OBSERVED_H";

  /** The defaults, as documented; the SQL function {@code bin_rationalisation} has the same. */
  public static RationalisationConfig defaults() {
    return new RationalisationConfig(4, ZoneId.of("Europe/London"), 20, 100, 24, 50, 15, 6, 24);
  }

  /**
   * @throws ConfigException naming the first setting that is wrong
   */
  public static RationalisationConfig from(Settings s) {
    String zoneText = s.string(ZONE, s.string("KERBSIDE_ANALYTICS_TIME_ZONE", "Europe/London"));
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      throw new ConfigException(
          ZONE + " must be a time zone such as Europe/London, got '" + zoneText + "'");
    }
    RationalisationConfig d = defaults();
    return new RationalisationConfig(
        s.intBetween(WEEKS, d.weeks(), 1, MAX_WEEKS),
        zone,
        number(s, EMPTYING_DROP_PCT, d.emptyingDropPct(), 1, 100),
        number(s, OVERFLOW_PCT, d.overflowPct(), 50, 200),
        number(s, UPSIZE_OVERFLOW_H, d.upsizeOverflowHours(), 0, 24 * 7 * MAX_WEEKS),
        number(s, UNDERUSED_FILL_PCT, d.underusedFillPct(), 0, 100),
        number(s, UNDERUSED_RATE_PCT_PER_DAY, d.underusedRatePctPerDay(), 0, 1000),
        number(s, MAX_GAP_H, d.maxGapHours(), 0.25, 24 * 7),
        number(s, MIN_OBSERVED_H, d.minObservedHours(), 0, 24 * 7 * MAX_WEEKS));
  }

  private static double number(Settings s, String key, double dflt, double min, double max) {
    String raw = s.string(key, "");
    if (raw.isEmpty()) {
      return dflt;
    }
    double v;
    try {
      v = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a number, got '" + raw + "'");
    }
    if (!(v >= min && v <= max)) {
      throw new ConfigException(
          key + " must be between " + plain(min) + " and " + plain(max) + ", got " + raw);
    }
    return v;
  }

  static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : Double.toString(v);
  }
}
