package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import io.kerbside.core.bins.FillPrediction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bin will be full within {@code horizon_h} (judged once the bin has {@code min_history_h} of
 * readings, so the rate covers a whole day): the fill rate since the last emptying, fitted by least
 * squares (or, with a day of history, the day's mean fill rate if that is lower, since bins fill by
 * the time of day), reaches {@code fill_pct} within the horizon. An emptying is a drop of at least
 * {@code emptying_drop_pct} points between two readings; the fit uses only the readings after the
 * newest one (at least {@code min_points} of them spanning {@code min_span_h}) and needs a positive
 * slope. A bin below {@code min_fill_pct} is not predicted: a day-long extrapolation from a bin a
 * third full mostly foretells a bin that the next round empties.
 *
 * <p>ACTIVE carries the hours from {@code asOf} to the predicted full time as its value and that
 * time as {@link Evaluation#predictedAt()}. On the timer ({@link Trigger#SCHEDULE}) the hours count
 * from the wall clock, so the prediction ripens even between readings.
 *
 * <p>Hysteresis: raised at {@code horizon_h}, cleared only when full is more than {@code
 * clear_horizon_h} away or the bin stopped filling; in between UNKNOWN keeps the alert. A bin that
 * is already full is CLEAR here: the prediction came true and {@code bin-full} takes over. An
 * emptying clears it too (the new fill segment is too short to predict from). A knocked-over bin
 * (tilt at or above {@code max_tilt_deg}) is UNKNOWN. A CLEAR without a prediction (full, emptied,
 * not filling) carries NaN as its value. A bin whose collection round (from the registry's {@code
 * collection_days} and {@code collection_time}) comes before the predicted full time, or less than
 * {@code round_margin_h} after it, is CLEAR: the round empties it first (or about when a crew
 * would), and a prediction that close is within its own error.
 */
public final class BinPredictedFullRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "bin-predicted-full",
          Set.of(DeviceKind.BIN),
          Scope.ASSET,
          Set.of(Trigger.READING, Trigger.SCHEDULE),
          Severity.MINOR,
          RuleParams.of(
              "fill_pct", 85,
              "min_fill_pct", 50,
              "horizon_h", 24,
              "clear_horizon_h", 36,
              "emptying_drop_pct", 20,
              "min_points", 4,
              "min_span_h", 2,
              "history_h", 72,
              "max_tilt_deg", 45,
              "round_margin_h", 2,
              "min_history_h", 24),
          "bin predicted to reach fill_pct within horizon_h, from its fill rate since the last"
              + " emptying");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("history_h");
  }

  @Override
  public boolean higherIsWorse() {
    return false;
  }

  /**
   * Fill added over the 24 hours before {@code until} per hour; NaN without a full day of readings
   * ({@link FillPrediction#dailyRate}).
   */
  static double dailyRate(List<Sample> fill, Instant until, double emptyingDrop) {
    return FillPrediction.dailyRate(points(fill), until, emptyingDrop);
  }

  private static List<FillPrediction.Point> points(List<Sample> fill) {
    return fill.stream().map(s -> new FillPrediction.Point(s.at(), s.value())).toList();
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    List<Sample> fill = Spacing.samples(in.window().series(Metric.FILL_PCT), in.subject());
    if (fill.isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    Optional<Sample> tilt = in.window().latest(Metric.TILT_DEG);
    if (tilt.isPresent() && tilt.get().value() >= p.get("max_tilt_deg")) {
      return Evaluation.unknown(in.asOf());
    }
    Sample latest = fill.get(fill.size() - 1);
    if (Series.hours(fill.get(0).at(), latest.at()) < p.get("min_history_h")) {
      // Bins fill by the time of day: without a day's history a busy afternoon would be
      // extrapolated through a quiet night.
      return Evaluation.unknown(in.asOf());
    }
    if (latest.value() >= p.get("fill_pct")) {
      return Evaluation.clear(latest.at(), Double.NaN);
    }
    // the fill rate since the last emptying, shared with collection planning
    FillPrediction.FillRate rate =
        FillPrediction.sinceLastEmptying(points(fill), p.get("emptying_drop_pct"));
    if (!rate.enoughReadings(Series.count(p, "min_points"), p.get("min_span_h"))) {
      return rate.emptiedInWindow()
          ? Evaluation.clear(latest.at(), Double.NaN)
          : Evaluation.unknown(in.asOf());
    }
    if (latest.value() < p.get("min_fill_pct")) {
      return Evaluation.unknown(in.asOf());
    }
    if (!rate.filling()) {
      return Evaluation.clear(latest.at(), Double.NaN);
    }
    double slope = rate.ratePctPerHour();
    Instant fullAt = rate.reaches(p.get("fill_pct")).orElseThrow();
    Instant now = in.asOf().isAfter(latest.at()) ? in.asOf() : latest.at();
    double hours = Math.max(0, Series.hours(now, fullAt));
    Optional<Instant> round =
        in.subject().asset().flatMap(Subject.AssetInfo::collection).flatMap(c -> c.next(now));
    if (round.isPresent() && !round.get().isAfter(fullAt.plus(p.duration("round_margin_h")))) {
      // The scheduled round empties it first: nothing for a crew to do.
      return Evaluation.clear(now, hours);
    }
    if (hours <= p.get("horizon_h")) {
      return Evaluation.active(
              now,
              hours,
              String.format(
                  Locale.ROOT,
                  "bin %.0f %% full, filling %.1f points an hour: full in %.1f h",
                  latest.value(),
                  slope,
                  hours),
              Map.of("fill_pct", latest.value(), "rate_pct_per_h", slope, "hours_to_full", hours))
          .withPrediction(fullAt);
    }
    if (hours > p.get("clear_horizon_h")) {
      return Evaluation.clear(now, hours);
    }
    return Evaluation.unknown(in.asOf());
  }
}
