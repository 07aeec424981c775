package io.kerbside.planning.select;

import io.kerbside.core.bins.FillPrediction;
import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which bins a round empties, a pure function of the bins' states and the configuration. A bin is
 * selected when
 *
 * <ul>
 *   <li>its predicted fill at the round's end reaches {@code fill_threshold_pct} ({@link
 *       Reason#PREDICTED_FILL}),
 *   <li>left until the round's next run, it would pass 100 % ({@link
 *       Reason#OVERFLOW_BEFORE_NEXT_ROUND}),
 *   <li>it has an open {@code bin-full} or {@code bin-not-collected} alert ({@link Reason#ALERT}),
 *   <li>its sensor is silent (no fill reading for {@code silent_after_h}) and its fixed schedule
 *       names the plan's weekday ({@link Reason#SCHEDULE}).
 * </ul>
 *
 * <p>With {@code on_schedule_days}, a reporting bin with a fixed schedule keeps its rounds' days:
 * on a day its schedule names, the first two rules hold with "the round's next run" read as the end
 * of the round on the bin's next scheduled day; on another day it is selected only when, left until
 * the round's next run, it would pass 100 %. So a crew's rounds keep their streets and skip the
 * bins that can wait, and a bin that cannot wait is fetched on the last day it can.
 *
 * <p>The prediction is {@link FillPrediction}'s fill rate since the last emptying, as {@code
 * bin-predicted-full} computes it; with fewer than {@code min_points} readings spanning {@code
 * min_span_h} since the emptying, the bin is taken to stay at its latest fill.
 */
public final class BinSelection {
  /** The alerts that put a bin on the plan whatever its prediction. */
  public static final Set<String> ALERT_RULES = Set.of("bin-full", "bin-not-collected");

  private final PlanningConfig.Selection settings;

  public BinSelection(PlanningConfig.Selection settings) {
    this.settings = settings;
  }

  /**
   * The selected bins, in the order given.
   *
   * @param date the plan's date (its weekday decides the fixed schedule of silent bins)
   * @param roundEnd the end of the round: predictions are made for then
   * @param nextRoundEnd the end of the round's next run
   * @param now when the plan is made: silence is measured up to it
   */
  public List<SelectedBin> select(
      List<BinState> bins, LocalDate date, Instant roundEnd, Instant nextRoundEnd, Instant now) {
    return select(bins, date, roundEnd, nextRoundEnd, now, null);
  }

  /**
   * As {@link #select(List, LocalDate, Instant, Instant, Instant)}; {@code roundEndOn} gives the
   * end of the round on a date, for {@code on_schedule_days} (ignored when null or off).
   */
  public List<SelectedBin> select(
      List<BinState> bins,
      LocalDate date,
      Instant roundEnd,
      Instant nextRoundEnd,
      Instant now,
      Function<LocalDate, Instant> roundEndOn) {
    return select(bins, date, roundEnd, bin -> nextRoundEnd, now, roundEndOn);
  }

  /**
   * As {@link #select(List, LocalDate, Instant, Instant, Instant, Function)}, where "the round's
   * next run" is, for each bin, {@code nextVisitEnd}'s answer: the end of the next round after this
   * one that empties bins in the bin's ward (with rounds by area, not necessarily this round).
   */
  public List<SelectedBin> select(
      List<BinState> bins,
      LocalDate date,
      Instant roundEnd,
      Function<BinState, Instant> nextVisitEnd,
      Instant now,
      Function<LocalDate, Instant> roundEndOn) {
    boolean onScheduleDays = settings.onScheduleDays() && roundEndOn != null;
    List<SelectedBin> out = new ArrayList<>();
    for (BinState bin : bins) {
      List<Reason> reasons = new ArrayList<>();
      double predicted = Double.NaN;
      Instant last = bin.lastReadingAt();
      boolean silent =
          last == null
              || Duration.between(last, now).toMillis() / 3_600_000.0 > settings.silentAfterHours();
      if (silent) {
        if (bin.collectionDays().contains(date.getDayOfWeek())) {
          reasons.add(Reason.SCHEDULE);
        }
      } else {
        FillPrediction.FillRate rate =
            FillPrediction.sinceLastEmptying(bin.fill(), settings.emptyingDropPct());
        boolean trusted = rate.enoughReadings(settings.minPoints(), settings.minSpanHours());
        predicted = trusted ? rate.fillAt(roundEnd) : rate.latest().fillPct();
        double atNextRound = trusted ? rate.fillAt(nextVisitEnd.apply(bin)) : predicted;
        if (onScheduleDays && !bin.collectionDays().isEmpty()) {
          if (bin.collectionDays().contains(date.getDayOfWeek())) {
            Instant nextScheduledEnd = roundEndOn.apply(nextScheduled(bin, date));
            double atNextScheduled = trusted ? rate.fillAt(nextScheduledEnd) : predicted;
            if (predicted >= settings.fillThresholdPct()) {
              reasons.add(Reason.PREDICTED_FILL);
            } else if (atNextScheduled >= 100) {
              reasons.add(Reason.OVERFLOW_BEFORE_NEXT_ROUND);
            }
          } else if (atNextRound >= 100) {
            reasons.add(Reason.OVERFLOW_BEFORE_NEXT_ROUND);
          }
        } else if (predicted >= settings.fillThresholdPct()) {
          reasons.add(Reason.PREDICTED_FILL);
        } else if (atNextRound >= 100) {
          reasons.add(Reason.OVERFLOW_BEFORE_NEXT_ROUND);
        }
      }
      if (bin.openAlertRules().stream().anyMatch(ALERT_RULES::contains)) {
        reasons.add(Reason.ALERT);
      }
      if (!reasons.isEmpty()) {
        double capacity =
            bin.capacityL() != null ? bin.capacityL() : settings.defaultBinCapacityL();
        double share = Double.isNaN(predicted) ? 1.0 : Math.max(0, Math.min(100, predicted)) / 100;
        out.add(new SelectedBin(bin, reasons, predicted, capacity * share));
      }
    }
    return out;
  }

  /** The first day after {@code date} that {@code bin}'s fixed schedule names. */
  private static LocalDate nextScheduled(BinState bin, LocalDate date) {
    LocalDate d = date.plusDays(1);
    while (!bin.collectionDays().contains(d.getDayOfWeek())) {
      d = d.plusDays(1);
    }
    return d;
  }
}
