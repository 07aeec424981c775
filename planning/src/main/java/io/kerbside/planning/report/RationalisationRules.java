package io.kerbside.planning.report;

import io.kerbside.core.bins.FillPrediction;
import io.kerbside.core.bins.FillPrediction.Point;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's figures and recommendations: a pure function of the bins' histories and the
 * settings, no clock and no database. The SQL function {@code bin_rationalisation} (migration V15,
 * for Grafana) computes the same; BinRationalisationIT holds the two together.
 */
final class RationalisationRules {
  private final RationalisationConfig config;

  RationalisationRules(RationalisationConfig config) {
    this.config = config;
  }

  /** A bin's figures over {@code [from, to)}; {@code fill} holds readings of that period only. */
  BinFigures figures(BinHistory bin, Instant to) {
    List<Point> fill = bin.fill();
    int n = fill.size();
    if (n == 0) {
      return BinFigures.silent(bin.crewLifts());
    }
    List<Integer> emptyings = FillPrediction.emptyings(fill, config.emptyingDropPct());
    double atEmptying = 0;
    for (int i : emptyings) {
      atEmptying += fill.get(i - 1).fillPct();
    }
    double observed = 0;
    double overflowing = 0;
    double max = Double.NEGATIVE_INFINITY;
    double[] risen = new double[7];
    double[] hours = new double[7];
    for (int i = 0; i < n; i++) {
      Point p = fill.get(i);
      max = Math.max(max, p.fillPct());
      Instant end = i + 1 < n ? fill.get(i + 1).at() : to;
      double gap = Math.max(0, hours(p.at(), end));
      double held = Math.min(gap, config.maxGapHours());
      observed += held;
      if (p.fillPct() >= config.overflowPct()) {
        overflowing += held;
      }
      if (i + 1 < n && gap <= config.maxGapHours()) {
        Point next = fill.get(i + 1);
        int day = next.at().atZone(config.zone()).getDayOfWeek().ordinal();
        hours[day] += gap;
        risen[day] += Math.max(0, next.fillPct() - p.fillPct());
      }
    }
    double allRisen = 0;
    double allHours = 0;
    Map<DayOfWeek, Double> byDay = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values()) {
      allRisen += risen[d.ordinal()];
      allHours += hours[d.ordinal()];
      if (hours[d.ordinal()] > 0) {
        byDay.put(d, risen[d.ordinal()] / hours[d.ordinal()] * 24);
      }
    }
    return new BinFigures(
        n,
        observed,
        emptyings.size(),
        bin.crewLifts(),
        emptyings.isEmpty() ? Double.NaN : atEmptying / emptyings.size(),
        max,
        overflowing,
        allHours > 0 ? allRisen / allHours * 24 : Double.NaN,
        byDay);
  }

  /** Every bin's figures and recommendation over {@code [from, to)}, most pressing first. */
  List<RationalisedBin> judge(List<BinHistory> bins, Instant from, Instant to) {
    Map<Long, BinFigures> figures = new HashMap<>();
    for (BinHistory b : bins) {
      figures.put(b.assetPk(), figures(b, to));
    }
    return judge(bins, figures, from, to);
  }

  /**
   * Every bin's recommendation from figures already computed (by asset; a bin without any is
   * silent), most pressing first; the bins' readings are not used.
   */
  List<RationalisedBin> judge(
      List<BinHistory> bins, Map<Long, BinFigures> computed, Instant from, Instant to) {
    String period = period(from, to);
    Map<Long, BinFigures> figures = new HashMap<>();
    for (BinHistory b : bins) {
      figures.put(
          b.assetPk(), computed.getOrDefault(b.assetPk(), BinFigures.silent(b.crewLifts())));
    }
    Map<String, List<BinHistory>> overflowingOn = new HashMap<>();
    Map<String, List<BinHistory>> underusedOn = new HashMap<>();
    for (BinHistory b : bins) {
      BinFigures f = figures.get(b.assetPk());
      String street = streetKey(b);
      if (street == null) {
        continue;
      }
      if (overflowing(f)) {
        overflowingOn.computeIfAbsent(street, k -> new ArrayList<>()).add(b);
      } else if (underused(f)) {
        underusedOn.computeIfAbsent(street, k -> new ArrayList<>()).add(b);
      }
    }
    List<RationalisedBin> out = new ArrayList<>();
    for (BinHistory b : bins) {
      BinFigures f = figures.get(b.assetPk());
      String street = streetKey(b);
      List<BinHistory> over =
          street == null ? List.of() : overflowingOn.getOrDefault(street, List.of());
      List<BinHistory> under =
          street == null ? List.of() : underusedOn.getOrDefault(street, List.of());
      Recommendation r;
      String why;
      if (f.readings() == 0) {
        r = Recommendation.KEEP;
        why = "no fill readings in " + period + ": the sensor is silent, nothing to judge";
      } else if (!judged(f)) {
        r = Recommendation.KEEP;
        why =
            String.format(
                Locale.ROOT,
                "readings cover only %.1f h of %s (fewer than %s h): too little to judge",
                f.observedHours(),
                period,
                RationalisationConfig.plain(config.minObservedHours()));
      } else if (overflowing(f) && !under.isEmpty()) {
        r = Recommendation.REBALANCE_STREET;
        why =
            overflowText(f, period)
                + " while "
                + refs(under)
                + " on "
                + b.street().strip()
                + (under.size() == 1 ? " stays" : " stay")
                + " underused";
      } else if (underused(f) && !over.isEmpty()) {
        r = Recommendation.REBALANCE_STREET;
        why =
            underusedText(f)
                + ", while "
                + refs(over)
                + " on "
                + b.street().strip()
                + (over.size() == 1 ? " overflows" : " overflow");
      } else if (overflowing(f)) {
        r = Recommendation.UPSIZE_OR_ADD_LIFT;
        why =
            overflowText(f, period)
                + "; "
                + lifts(f.lifts())
                + ", mean fill at emptying "
                + pct(f.meanFillAtEmptyingPct())
                + ", fills "
                + rate(f.fillRatePctPerDay());
      } else if (underused(f)) {
        r = Recommendation.REMOVE_OR_MOVE;
        why = underusedText(f) + " in " + period;
      } else {
        r = Recommendation.KEEP;
        why =
            String.format(
                Locale.ROOT,
                "%s, mean fill at emptying %s, %.1f h overflowing, fills %s: within the"
                    + " thresholds",
                lifts(f.lifts()),
                pct(f.meanFillAtEmptyingPct()),
                f.hoursOverflowing(),
                rate(f.fillRatePctPerDay()));
      }
      out.add(
          new RationalisedBin(
              b.assetPk(), b.assetRef(), b.name(), b.street(), b.ward(), f, r, why));
    }
    out.sort(
        Comparator.comparing(RationalisedBin::recommendation)
            .thenComparing(RationalisedBin::assetRef));
    return out;
  }

  /** Enough readings to judge the bin. */
  private boolean judged(BinFigures f) {
    return f.readings() > 0 && f.observedHours() >= config.minObservedHours();
  }

  private boolean overflowing(BinFigures f) {
    return judged(f) && f.hoursOverflowing() > config.upsizeOverflowHours();
  }

  /**
   * Emptied well short of full (or, never emptied, never that full) and filling slowly; a bin that
   * overflows is never underused.
   */
  private boolean underused(BinFigures f) {
    if (!judged(f)
        || overflowing(f)
        || !(f.fillRatePctPerDay() < config.underusedRatePctPerDay())) {
      return false;
    }
    return f.lifts() > 0
        ? f.meanFillAtEmptyingPct() < config.underusedFillPct()
        : f.maxFillPct() < config.underusedFillPct();
  }

  private String overflowText(BinFigures f, String period) {
    return String.format(
        Locale.ROOT,
        "%.1f h at or above %s %% in %s (more than %s h)",
        f.hoursOverflowing(),
        RationalisationConfig.plain(config.overflowPct()),
        period,
        RationalisationConfig.plain(config.upsizeOverflowHours()));
  }

  private String underusedText(BinFigures f) {
    String fill =
        f.lifts() > 0
            ? String.format(
                Locale.ROOT,
                "mean fill at emptying %s over %s (below %s %%)",
                pct(f.meanFillAtEmptyingPct()),
                lifts(f.lifts()),
                RationalisationConfig.plain(config.underusedFillPct()))
            : String.format(
                Locale.ROOT,
                "no lift, highest fill %s (below %s %%)",
                pct(f.maxFillPct()),
                RationalisationConfig.plain(config.underusedFillPct()));
    return String.format(
        Locale.ROOT,
        "%s and fills %.1f %%/day (below %s)",
        fill,
        f.fillRatePctPerDay(),
        RationalisationConfig.plain(config.underusedRatePctPerDay()));
  }

  /**
   * Bins are neighbours when they have the same street (ignoring case and outer spaces) in the same
   * ward; a bin without a street has none.
   */
  static String streetKey(BinHistory b) {
    if (b.street() == null || b.street().isBlank()) {
      return null;
    }
    return (b.ward() == null ? "" : b.ward()) + "\n" + b.street().strip().toLowerCase(Locale.ROOT);
  }

  private static String refs(List<BinHistory> bins) {
    List<String> refs = bins.stream().map(BinHistory::assetRef).sorted().toList();
    return refs.size() <= 3
        ? String.join(", ", refs)
        : String.join(", ", refs.subList(0, 3)) + " and " + (refs.size() - 3) + " more";
  }

  private static String lifts(int n) {
    return n == 1 ? "1 lift" : n + " lifts";
  }

  static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f %%", v);
  }

  private static String rate(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f %%/day", v);
  }

  /** "4 weeks", or "10 days" when the period is not whole weeks. */
  static String period(Instant from, Instant to) {
    long days = Duration.between(from, to).toDays();
    if (days > 0 && days % 7 == 0) {
      return days / 7 + (days == 7 ? " week" : " weeks");
    }
    double h = Duration.between(from, to).toMinutes() / 60.0;
    return h >= 48
        ? String.format(Locale.ROOT, "%.0f days", h / 24)
        : String.format(Locale.ROOT, "%.0f h", h);
  }

  private static double hours(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 3_600_000.0;
  }
}
