package io.kerbside.planning.report;

import io.kerbside.planning.write.PlanFormats;
import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rationalisation report as CSV (one row per bin) and as a table for a terminal. */
public final class RationalisationFormats {
  private RationalisationFormats() {}

  /** The CSV columns; the figures of a bin without readings are empty cells. */
  public static final String CSV_HEADER =
      "asset_ref,name,street,ward,readings,observed_h,lifts,crew_lifts,"
          + "mean_fill_at_emptying_pct,max_fill_pct,hours_overflowing,fill_rate_pct_per_day,"
          + "fill_rate_mon,fill_rate_tue,fill_rate_wed,fill_rate_thu,fill_rate_fri,fill_rate_sat,"
          + "fill_rate_sun,recommendation,reason";

  public static String csv(RationalisationReport report) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (RationalisedBin bin : report.bins()) {
      BinFigures f = bin.figures();
      List<String> cells = new ArrayList<>();
      cells.add(PlanFormats.cell(bin.assetRef()));
      cells.add(PlanFormats.cell(bin.name()));
      cells.add(PlanFormats.cell(bin.street()));
      cells.add(PlanFormats.cell(bin.ward()));
      cells.add(Integer.toString(f.readings()));
      cells.add(number(f.observedHours()));
      cells.add(Integer.toString(f.lifts()));
      cells.add(Integer.toString(f.crewLifts()));
      cells.add(number(f.meanFillAtEmptyingPct()));
      cells.add(number(f.maxFillPct()));
      cells.add(number(f.hoursOverflowing()));
      cells.add(number(f.fillRatePctPerDay()));
      for (DayOfWeek d : DayOfWeek.values()) {
        cells.add(number(f.fillRateOn(d)));
      }
      cells.add(bin.recommendation().code());
      cells.add(PlanFormats.cell(bin.reason()));
      b.append(String.join(",", cells)).append('\n');
    }
    return b.toString();
  }

  /**
   * A readable table: a heading with the period and the counts, one line per bin with its figures
   * and recommendation, the reason on the line below.
   */
  public static String table(RationalisationReport report) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "bin rationalisation - %s, %d %s from %s to %s: %d bins%n",
            report.council(),
            report.weeks(),
            report.weeks() == 1 ? "week" : "weeks",
            report.from(),
            report.to(),
            report.bins().size()));
    List<String> counts = new ArrayList<>();
    for (Recommendation r : Recommendation.values()) {
      counts.add(r.code() + " " + report.count(r));
    }
    b.append(String.join(", ", counts)).append(System.lineSeparator());
    StringBuilder days = new StringBuilder();
    for (DayOfWeek d : DayOfWeek.values()) {
      days.append(
          String.format(Locale.ROOT, " %4s", d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)));
    }
    b.append(System.lineSeparator())
        .append(
            String.format(
                Locale.ROOT,
                "%-20s %-18s %5s %5s %6s %7s %7s%s  %s%n",
                "bin",
                "street",
                "lifts",
                "crew",
                "@empty",
                "ovfl h",
                "%/day",
                days,
                "recommendation"));
    for (RationalisedBin bin : report.bins()) {
      BinFigures f = bin.figures();
      StringBuilder byDay = new StringBuilder();
      for (DayOfWeek d : DayOfWeek.values()) {
        byDay.append(String.format(Locale.ROOT, " %4s", fixed(f.fillRateOn(d), 0)));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "%-20s %-18s %5d %5d %6s %7s %7s%s  %s%n",
              clip(bin.assetRef(), 20),
              clip(bin.street() == null ? "-" : bin.street(), 18),
              f.lifts(),
              f.crewLifts(),
              fixed(f.meanFillAtEmptyingPct(), 0),
              fixed(f.hoursOverflowing(), 1),
              fixed(f.fillRatePctPerDay(), 1),
              byDay,
              bin.recommendation().code()));
      b.append("    ").append(bin.reason()).append(System.lineSeparator());
    }
    return b.toString();
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String fixed(double v, int decimals) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "~";
  }
}
