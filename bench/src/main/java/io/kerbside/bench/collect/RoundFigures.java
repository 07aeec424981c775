package io.kerbside.bench.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one way of collecting over the measured week.
 *
 * @param name how the bins were collected
 * @param bins lifts, overflowing bin-hours and worst fill from the ground truth
 * @param km route km over the week
 * @param unassigned bins planned or scheduled that no vehicle could take
 * @param planSeconds the time each day's planning took; empty for the fixed rounds
 */
public record RoundFigures(
    String name, BinTally bins, double km, int unassigned, List<Double> planSeconds) {
  public RoundFigures {
    planSeconds = List.copyOf(planSeconds);
  }

  /** The median of the days' planning times; NaN without planning. */
  public double planMedianSeconds() {
    if (planSeconds.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(planSeconds);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** The longest day's planning time; NaN without planning. */
  public double planMaxSeconds() {
    return planSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** A Markdown table of {@code a} and {@code b}, and (b)'s change against (a). */
  public static String table(RoundFigures a, RoundFigures b) {
    StringBuilder t = new StringBuilder();
    t.append(
        "| run | lifts | mean fill at emptying | route km | bin-hours over 100 % | worst fill |"
            + " planning time per day (median / max) | unassigned |\n");
    t.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (RoundFigures f : List.of(a, b)) {
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.0f %% | %.1f | %.1f | %.0f %% | %s | %d |%n",
              f.name(),
              f.bins().lifts(),
              f.bins().meanFillAtEmptyingPct(),
              f.km(),
              f.bins().overflowHours(),
              f.bins().worstFillPct(),
              f.planSeconds().isEmpty()
                  ? "-"
                  : String.format(
                      Locale.ROOT, "%.1f s / %.1f s", f.planMedianSeconds(), f.planMaxSeconds()),
              f.unassigned()));
    }
    t.append(
        String.format(
            Locale.ROOT,
            "| (b) against (a) | %s | | %s | %s | | | |%n",
            change(a.bins().lifts(), b.bins().lifts()),
            change(a.km(), b.km()),
            change(a.bins().overflowHours(), b.bins().overflowHours())));
    return t.toString();
  }

  /**
   * What half of (a)'s lifts would ask: (b)'s lifts carried {@code b.liftedBinsWorth()} bins' worth
   * away; carried by half as many lifts as (a)'s, each would empty a bin this full on average.
   */
  public static String halfTheLifts(RoundFigures a, RoundFigures b) {
    double half = a.bins().lifts() / 2.0;
    return String.format(
        Locale.ROOT,
        "(b)'s lifts carried %.1f bins' worth of rubbish; in half (a)'s lifts (%.0f) that is %.0f %%"
            + " of a bin a lift.%n",
        b.bins().liftedBinsWorth(),
        half,
        half == 0 ? Double.NaN : 100 * b.bins().liftedBinsWorth() / half);
  }

  /** {@code -54 %}: how much {@code b} is above or below {@code a}. */
  static String change(double a, double b) {
    if (a == 0) {
      return b == 0 ? "same" : "from 0";
    }
    return String.format(Locale.ROOT, "%+.0f %%", 100 * (b - a) / a);
  }
}
