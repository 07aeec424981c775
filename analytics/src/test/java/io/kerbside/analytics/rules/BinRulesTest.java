package io.kerbside.analytics.rules;

import static io.kerbside.analytics.rules.Readings.bin;
import static io.kerbside.analytics.rules.Readings.concat;
import static io.kerbside.analytics.rules.Readings.evaluate;
import static io.kerbside.analytics.rules.Readings.every;
import static io.kerbside.analytics.rules.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.analytics.rules.Evaluation.State;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BinRulesTest {
  static final Instant T = Instant.parse("2026-11-20T06:00:00Z");
  static final Duration Q = Duration.ofMinutes(15);

  static List<WindowReading> fill(double... values) {
    return every(T, Q, Metric.FILL_PCT, values);
  }

  static double[] ramp(double from, double step, int n) {
    return DoubleStream.iterate(from, v -> v + step).limit(n).toArray();
  }

  @Nested
  class BinFull {
    final Rule rule = new BinFullRule();

    @Test
    void firesAtTheFillThresholdForTwoReadingsInARow() {
      Evaluation e = evaluate(rule, bin(), fill(70, 85, 86));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(86);
    }

    /** A level just under the threshold, read a little over it once by a noisy sensor. */
    @Test
    void oneReadingOverTheThresholdIsNotYetFull() {
      assertThat(evaluate(rule, bin(), fill(84.7, 84.9, 85.4)).state()).isEqualTo(State.UNKNOWN);
      assertThat(evaluate(rule, bin(), fill(84.7, 85.4, 84.9)).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void doesNotFireBelowIt() {
      assertThat(evaluate(rule, bin(), fill(30, 40)).state()).isEqualTo(State.CLEAR);
    }

    @Test
    void clearsOnlyOnceEmptiedBelowTheClearLevel() {
      assertThat(evaluate(rule, bin(), fill(90, 70)).state()).isEqualTo(State.UNKNOWN);
      assertThat(evaluate(rule, bin(), fill(90, 2)).state()).isEqualTo(State.CLEAR);
    }

    @Test
    void leavesAKnockedOverBinAlone() {
      List<WindowReading> r = List.of(reading(T, Metric.FILL_PCT, 95, Metric.TILT_DEG, 88));
      assertThat(evaluate(rule, bin(), r).state()).isEqualTo(State.UNKNOWN);
    }
  }

  @Nested
  class PredictedFull {
    final Rule rule = new BinPredictedFullRule();

    /** These windows are hours long; the day of history the rule asks for is waived. */
    Evaluation evaluate(Rule rule, Subject subject, List<WindowReading> readings) {
      return Readings.evaluate(rule, subject, readings, anyHistory());
    }

    Evaluation evaluate(
        Rule rule,
        Subject subject,
        List<WindowReading> readings,
        RuleParams params,
        Instant asOf,
        Trigger trigger) {
      return Readings.evaluate(
          rule, subject, readings, params.with(Map.of("min_history_h", 0.0)), asOf, trigger);
    }

    RuleParams anyHistory() {
      return rule.defaults().with(Map.of("min_history_h", 0.0));
    }

    @Test
    void waitsForADayOfHistoryBeforePredicting() {
      List<WindowReading> r = fill(concatValues(new double[] {70, 80}, ramp(2, 6, 9)));
      assertThat(Readings.evaluate(rule, bin(), r).state()).isEqualTo(State.UNKNOWN);
      // a slow day (0.5 points an hour) then a busy afternoon: the day's rate wins
      List<WindowReading> day = fill(ramp(40, 0.125, 97));
      double[] busy = ramp(52.125, 1.5, 10);
      List<WindowReading> afternoon =
          every(
              day.get(day.size() - 1).at().plus(Duration.ofMinutes(15)),
              Duration.ofMinutes(15),
              Metric.FILL_PCT,
              busy);
      assertThat(Readings.evaluate(rule, bin(), concat(day, afternoon)).state())
          .as("over a day the bin fills slowly; the afternoon's rush is not extrapolated")
          .isNotEqualTo(State.ACTIVE);
      assertThat(Readings.evaluate(rule, bin(), afternoon, anyHistory()).state())
          .as("the afternoon alone would predict full within the horizon")
          .isEqualTo(State.ACTIVE);
    }

    static Subject binCollected(java.time.DayOfWeek day, String time) {
      Subject b = bin();
      Subject.AssetInfo a = b.asset().orElseThrow();
      return new Subject(
          b.council(),
          b.devicePk(),
          b.deviceId(),
          b.kind(),
          b.expectedInterval(),
          java.util.Optional.of(
              new Subject.AssetInfo(
                  a.assetPk(),
                  a.assetRef(),
                  a.name(),
                  a.latitude(),
                  a.longitude(),
                  a.street(),
                  a.ward(),
                  a.binDepthMm(),
                  a.ratedPowerW(),
                  java.util.Optional.of(
                      new Subject.CollectionRound(
                          java.util.Set.of(day),
                          java.time.LocalTime.parse(time),
                          java.time.ZoneId.of("Europe/London"))))));
    }

    @Test
    void aBinTheRoundEmptiesBeforeItIsFullNeedsNoCrew() {
      // 20 November 2026 is a Friday; the ramp reaches 85 % at about 09:57 UTC (= London time)
      List<WindowReading> r = fill(concatValues(new double[] {70, 80}, ramp(2, 6, 9)));
      assertThat(evaluate(rule, binCollected(java.time.DayOfWeek.FRIDAY, "09:00"), r).state())
          .isEqualTo(State.CLEAR);
      Evaluation late = evaluate(rule, binCollected(java.time.DayOfWeek.FRIDAY, "12:30"), r);
      assertThat(late.state()).isEqualTo(State.ACTIVE);
      // a round less than round_margin_h (2 h) after the predicted time is left to the round
      assertThat(evaluate(rule, binCollected(java.time.DayOfWeek.FRIDAY, "11:00"), r).state())
          .isEqualTo(State.CLEAR);
      assertThat(evaluate(rule, binCollected(java.time.DayOfWeek.MONDAY, "07:00"), r).state())
          .isEqualTo(State.ACTIVE);
    }

    @Test
    void theNextRoundIsTheFirstScheduledCollectionAfterAnInstant() {
      Subject.CollectionRound round =
          new Subject.CollectionRound(
              java.util.Set.of(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.THURSDAY),
              java.time.LocalTime.parse("06:45"),
              java.time.ZoneId.of("Europe/London"));
      // Friday 20 November -> Monday 23rd 06:45 GMT
      assertThat(round.next(Instant.parse("2026-11-20T12:00:00Z")))
          .hasValue(Instant.parse("2026-11-23T06:45:00Z"));
      // Thursday 2 July 06:00 BST = 05:00Z -> the same morning 06:45 BST = 05:45Z
      assertThat(round.next(Instant.parse("2026-07-02T05:00:00Z")))
          .hasValue(Instant.parse("2026-07-02T05:45:00Z"));
    }

    @Test
    void firesWhenTheFillRateSinceTheEmptyingReachesFullWithinTheHorizon() {
      // 80 % then emptied to 2 %, then 6 points every 15 min = 24 points an hour (a high street)
      List<WindowReading> r = fill(concatValues(new double[] {70, 80}, ramp(2, 6, 9)));
      Evaluation e = evaluate(rule, bin(), r);
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      double hours = (85 - 50) / 24.0;
      assertThat(e.value()).isCloseTo(hours, within(0.01));
      Instant latest = r.get(r.size() - 1).at();
      assertThat(e.predictedAt())
          .hasValueSatisfying(
              p ->
                  assertThat(Duration.between(latest, p).toMinutes())
                      .isCloseTo(Math.round(hours * 60), within(1L)));
    }

    @Test
    void doesNotFireForASlowBinAndClearsIt() {
      Evaluation e = evaluate(rule, bin(), fill(ramp(55, 0.05, 20)));
      assertThat(e.state()).isEqualTo(State.CLEAR);
    }

    @Test
    void doesNotPredictForABinLessThanHalfFull() {
      assertThat(evaluate(rule, bin(), fill(ramp(10, 2, 12))).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void isUnknownBetweenTheHorizonAndTheClearHorizon() {
      // 0.3 points per 15 min = 1.2 an hour; from 52 % that is 27.5 h to 85 %
      Evaluation e = evaluate(rule, bin(), fill(ramp(46.3, 0.3, 20)));
      assertThat(e.state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void clearsOnceFullBecauseBinFullTakesOver() {
      assertThat(evaluate(rule, bin(), fill(ramp(60, 5, 6))).state()).isEqualTo(State.CLEAR);
    }

    @Test
    void clearsAtAnEmptyingAndWaitsForEnoughPointsWithoutOne() {
      assertThat(evaluate(rule, bin(), fill(60, 70, 78, 3)).state()).isEqualTo(State.CLEAR);
      assertThat(evaluate(rule, bin(), fill(60, 70)).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void onTheTimerCountsTheHoursFromTheWallClock() {
      List<WindowReading> r = fill(ramp(40, 2, 12));
      Instant latest = r.get(r.size() - 1).at();
      Evaluation e =
          evaluate(
              rule, bin(), r, rule.defaults(), latest.plus(Duration.ofHours(2)), Trigger.SCHEDULE);
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isCloseTo((85 - 62) / 8.0 - 2, within(0.01));
    }

    private double[] concatValues(double[] a, double[] b) {
      return DoubleStream.concat(DoubleStream.of(a), DoubleStream.of(b)).toArray();
    }
  }

  @Nested
  class Fire {
    final Rule rule = new BinFireRule();

    List<WindowReading> temps(double... values) {
      return every(T, Q, Metric.TEMP_C, values);
    }

    @Test
    void firesAtTheTemperatureThreshold() {
      Evaluation e = evaluate(rule, bin(), temps(12, 30, 45, 65));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(65);
    }

    @Test
    void firesOnASuddenRiseEvenWithReadingsFifteenMinutesApart() {
      Evaluation e = evaluate(rule, bin(), temps(8, 8.2, 8.1, 33));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.summary()).contains("up 25");
    }

    @Test
    void firesOnARiseWithinTenMinutesOfFasterReadings() {
      List<WindowReading> r =
          every(T, Duration.ofMinutes(2), Metric.TEMP_C, 10, 10, 10, 10, 14, 20, 27);
      assertThat(evaluate(rule, bin(), r).state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void doesNotFireForALidWarmingInTheSun() {
      Evaluation e = evaluate(rule, bin(), temps(ramp(10, 1.5, 9)));
      assertThat(e.state()).isEqualTo(State.CLEAR);
    }

    @Test
    void staysOpenWhileWarmAndClearsAfterAnHourBelowTheClearLevel() {
      List<WindowReading> fire = temps(8, 8, 8, 33, 65, 52, 40);
      assertThat(evaluate(rule, bin(), fire).state()).isEqualTo(State.UNKNOWN);
      List<WindowReading> cooled =
          concat(fire, every(T.plus(Q.multipliedBy(7)), Q, Metric.TEMP_C, 30, 20, 15, 12, 11));
      assertThat(evaluate(rule, bin(), cooled.subList(0, 10)).state()).isEqualTo(State.UNKNOWN);
      assertThat(evaluate(rule, bin(), cooled).state()).isEqualTo(State.CLEAR);
    }
  }

  @Nested
  class KnockedOver {
    final Rule rule = new BinKnockedOverRule();

    @Test
    void firesWhenLyingOnItsSide() {
      Evaluation e = evaluate(rule, bin(), every(T, Q, Metric.TILT_DEG, 3, 88));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(88);
    }

    @Test
    void doesNotFireForAnUprightBin() {
      assertThat(evaluate(rule, bin(), every(T, Q, Metric.TILT_DEG, 3, 4)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void aLeanBetweenTheThresholdsKeepsTheAlert() {
      assertThat(evaluate(rule, bin(), every(T, Q, Metric.TILT_DEG, 88, 30)).state())
          .isEqualTo(State.UNKNOWN);
      assertThat(evaluate(rule, bin(), every(T, Q, Metric.TILT_DEG, 88, 30, 5)).state())
          .isEqualTo(State.CLEAR);
    }
  }

  @Nested
  class NotCollected {
    final Rule rule = new BinNotCollectedRule();

    List<WindowReading> hourly(double... values) {
      return every(T, Duration.ofHours(1), Metric.FILL_PCT, values);
    }

    @Test
    void firesWhenAboveTheLevelForLongerThanTheDuration() {
      Evaluation e = evaluate(rule, bin(), hourly(ramp(72, 0.4, 51)));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(50);
    }

    @Test
    void doesNotFireBeforeTheDurationHasPassed() {
      assertThat(evaluate(rule, bin(), hourly(ramp(72, 0.4, 30))).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void aDipBelowTheLevelRestartsTheCount() {
      double[] v = ramp(72, 0.4, 51);
      v[40] = 65;
      assertThat(evaluate(rule, bin(), hourly(v)).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void clearsWhenEmptiedButNotWhenStillHalfFull() {
      double[] v = ramp(72, 0.4, 52);
      v[51] = 55;
      assertThat(evaluate(rule, bin(), hourly(v)).state()).isEqualTo(State.UNKNOWN);
      v[51] = 2;
      assertThat(evaluate(rule, bin(), hourly(v)).state()).isEqualTo(State.CLEAR);
    }
  }
}
