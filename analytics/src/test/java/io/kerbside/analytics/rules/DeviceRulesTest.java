package io.kerbside.analytics.rules;

import static io.kerbside.analytics.rules.Readings.bin;
import static io.kerbside.analytics.rules.Readings.evaluate;
import static io.kerbside.analytics.rules.Readings.every;
import static io.kerbside.analytics.rules.Readings.pavement;
import static io.kerbside.analytics.rules.Readings.reading;
import static io.kerbside.analytics.rules.Readings.streetlight;
import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.analytics.rules.Evaluation.State;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeviceRulesTest {
  static final Instant T = Instant.parse("2026-11-20T06:00:00Z");
  static final Duration TEN = Duration.ofMinutes(10);

  @Nested
  class Offline {
    final Rule rule = new DeviceOfflineRule();
    final List<WindowReading> readings = every(T, TEN, Metric.SURFACE_TEMP_C, 5, 5.1, 5.2);
    final Instant last = T.plus(TEN.multipliedBy(2));

    Evaluation onTimer(Instant asOf) {
      return evaluate(rule, pavement(), readings, rule.defaults(), asOf, Trigger.SCHEDULE);
    }

    @Test
    void firesOnTheTimerOnceThreeIntervalsHavePassedSilently() {
      Evaluation e = onTimer(last.plus(Duration.ofMinutes(40)));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.observedAt()).isEqualTo(last.plus(Duration.ofMinutes(30)));
      assertThat(e.value()).isEqualTo(40);
    }

    @Test
    void doesNotFireWhileTheDeviceIsMerelyLateAndClearsOnceItReports() {
      assertThat(onTimer(last.plus(Duration.ofMinutes(25))).state()).isEqualTo(State.CLEAR);
      // two readings missed, the third due at this very instant: late, not yet offline
      assertThat(onTimer(last.plus(Duration.ofMinutes(30))).state()).isEqualTo(State.CLEAR);
    }

    @Test
    void aDeviceThatNeverReportedIsUnknown() {
      Evaluation e =
          pavementRule(
              new RuleInput(
                  pavement(),
                  ReadingWindow.empty(),
                  rule.defaults(),
                  T,
                  Trigger.SCHEDULE,
                  java.util.Optional.empty()));
      assertThat(e.state()).isEqualTo(State.UNKNOWN);
    }

    private Evaluation pavementRule(RuleInput in) {
      return rule.evaluate(in);
    }

    @Test
    void aReadingAfterALongSilenceRecordsTheOutageAndTheNextOneClearsIt() {
      List<WindowReading> back = new ArrayList<>(readings);
      Instant returned = last.plus(Duration.ofMinutes(70));
      back.add(reading(returned, Metric.SURFACE_TEMP_C, 4.0));
      Evaluation gap = evaluate(rule, pavement(), back);
      assertThat(gap.state()).isEqualTo(State.ACTIVE);
      assertThat(gap.observedAt()).isEqualTo(last.plus(Duration.ofMinutes(30)));
      assertThat(gap.value()).isEqualTo(70);
      assertThat(gap.details()).containsEntry("back_at", returned.toString());

      back.add(reading(returned.plus(TEN), Metric.SURFACE_TEMP_C, 4.1));
      assertThat(evaluate(rule, pavement(), back).state()).isEqualTo(State.CLEAR);
    }

    @Test
    void usesTheDevicesOwnInterval() {
      // a bin reports every 15 minutes: 40 minutes of silence is not yet three intervals
      Evaluation e =
          evaluate(
              rule,
              bin(),
              readings,
              rule.defaults(),
              last.plus(Duration.ofMinutes(40)),
              Trigger.SCHEDULE);
      assertThat(e.state()).isEqualTo(State.CLEAR);
    }
  }

  @Nested
  class BatteryLow {
    final Rule rule = new BatteryLowRule();

    List<WindowReading> volts(double... v) {
      return every(T, Duration.ofMinutes(15), Metric.BATTERY_V, v);
    }

    @Test
    void firesWhenSustainedBelowTheThreshold() {
      Evaluation e = evaluate(rule, bin(), volts(3.5, 3.25, 3.2, 3.15));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(3.15);
    }

    @Test
    void oneColdOrBusyReadingIsNotEnough() {
      assertThat(evaluate(rule, bin(), volts(3.5, 3.5, 3.28)).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void doesNotFireForAHealthyBatteryAndClearsAfterAReplacement() {
      assertThat(evaluate(rule, bin(), volts(3.6, 3.6, 3.59)).state()).isEqualTo(State.CLEAR);
      assertThat(evaluate(rule, bin(), volts(3.1, 3.1, 3.67, 3.67, 3.67)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void aBurstOfReadingsCountsAsOne() {
      List<WindowReading> r = new ArrayList<>(volts(3.5, 3.5));
      for (int i = 1; i <= 20; i++) {
        r.add(reading(T.plus(Duration.ofMinutes(30)).plusMillis(100L * i), Metric.BATTERY_V, 3.2));
      }
      assertThat(evaluate(rule, bin(), r).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void isUnknownBetweenTheThresholds() {
      assertThat(evaluate(rule, bin(), volts(3.35, 3.36, 3.35)).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void streetlightsAreMainsPowered() {
      assertThat(rule.kinds()).doesNotContain(io.kerbside.core.DeviceKind.STREETLIGHT);
    }
  }

  @Nested
  class Stuck {
    final Rule rule = new StuckSensorRule();

    List<WindowReading> surface(int n, java.util.function.IntToDoubleFunction surfaceC) {
      return every(
          T,
          TEN,
          n,
          i ->
              new Object[] {
                Metric.SURFACE_TEMP_C, surfaceC.applyAsDouble(i), Metric.AIR_TEMP_C, 4 + 0.05 * i
              });
    }

    @Test
    void firesWhenAValueRepeatsExactlyForSixHours() {
      Evaluation e = evaluate(rule, pavement(), surface(40, i -> 2.37));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.details()).containsEntry("metric", "surface_temp_c");
      assertThat(e.value()).isEqualTo(6.5);
    }

    @Test
    void doesNotFireForAVaryingSensorAndClears() {
      assertThat(evaluate(rule, pavement(), surface(40, i -> 2 + 0.01 * i)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void aShorterRunIsUnknown() {
      assertThat(evaluate(rule, pavement(), surface(40, i -> i < 25 ? 2 + 0.01 * i : 2.37)))
          .extracting(Evaluation::state)
          .isEqualTo(State.UNKNOWN);
    }

    @Test
    void anEmptyBinIsGenuinelySteady() {
      List<WindowReading> r =
          every(
              T,
              Duration.ofMinutes(15),
              40,
              i -> new Object[] {Metric.FILL_PCT, 0, Metric.TEMP_C, 8 + 0.1 * i});
      assertThat(evaluate(rule, bin(), r).state()).isNotEqualTo(State.ACTIVE);
    }

    @Test
    void watchesALampsPowerOnlyWhileLit() {
      List<WindowReading> off =
          every(T, TEN, 40, i -> new Object[] {Metric.LAMP_ON, 0, Metric.POWER_W, 0});
      assertThat(evaluate(rule, streetlight(60.0), off).state()).isNotEqualTo(State.ACTIVE);
      List<WindowReading> lit =
          every(T, TEN, 40, i -> new Object[] {Metric.LAMP_ON, 1, Metric.POWER_W, 61.2});
      assertThat(evaluate(rule, streetlight(60.0), lit).state()).isEqualTo(State.ACTIVE);
      List<WindowReading> failed =
          every(T, TEN, 40, i -> new Object[] {Metric.LAMP_ON, 1, Metric.POWER_W, 0.5});
      assertThat(evaluate(rule, streetlight(60.0), failed).state()).isNotEqualTo(State.ACTIVE);
    }
  }

  @Nested
  class OutOfRange {
    final Rule rule = new OutOfRangeValuesRule();

    List<WindowReading> pave(double... surface) {
      return every(
          T,
          TEN,
          surface.length,
          i -> new Object[] {Metric.SURFACE_TEMP_C, surface[i], Metric.AIR_TEMP_C, 5.0});
    }

    @Test
    void firesForABinColderThanBritainGets() {
      Evaluation e = evaluate(rule, bin(), every(T, TEN, Metric.TEMP_C, 5, -45));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.summary()).contains("temp_c -45.0");
    }

    @Test
    void firesForASurfaceFarBelowTheAirOrJumping() {
      assertThat(evaluate(rule, pavement(), pave(3, 3, -20)).state()).isEqualTo(State.ACTIVE);
      assertThat(evaluate(rule, pavement(), pave(3, 3, 19)).summary()).contains("jump");
    }

    @Test
    void doesNotFireForAClearNightsCoolingAndClearsAfterSixGoodReadings() {
      assertThat(evaluate(rule, pavement(), pave(3, 2.5, 2, 1.5, 1.2, 1)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void isUnknownUntilEnoughGoodReadingsFollowAFault() {
      assertThat(evaluate(rule, pavement(), pave(3, 3, -20, -3, 1, 1.5, 2)).state())
          .isEqualTo(State.UNKNOWN);
    }

    @Test
    void aLampWithoutSupplyIsAnOutageNotASensorFault() {
      List<WindowReading> r =
          every(T, TEN, 6, i -> new Object[] {Metric.VOLTAGE_V, i < 5 ? 231 : 0});
      assertThat(evaluate(rule, streetlight(60.0), r).state()).isEqualTo(State.CLEAR);
      r = every(T, TEN, 2, i -> new Object[] {Metric.VOLTAGE_V, i < 1 ? 231 : 120});
      assertThat(evaluate(rule, streetlight(60.0), r).state()).isEqualTo(State.ACTIVE);
    }
  }

  @Nested
  class FrameCounterGaps {
    final Rule rule = new FrameCounterGapsRule();
    final RuleParams twelve = rule.defaults().with(java.util.Map.of("min_expected_frames", 12.0));

    /** Readings every 10 min carrying {@code seqs} as frame counters (time follows the counter). */
    List<WindowReading> frames(long... seqs) {
      List<WindowReading> out = new ArrayList<>();
      for (long s : seqs) {
        out.add(reading(T.plus(TEN.multipliedBy(s)), s, Metric.SURFACE_TEMP_C, 4));
      }
      return out;
    }

    @Test
    void firesWhenAThirdOfTheMessagesAreLost() {
      Evaluation e =
          evaluate(
              rule, pavement(), frames(LongStream.range(0, 30).filter(s -> s % 3 != 1).toArray()));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isBetween(30.0, 35.0);
    }

    @Test
    void doesNotFireWithEveryMessageAndClears() {
      assertThat(evaluate(rule, pavement(), frames(LongStream.range(0, 30).toArray())).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void isUnknownBetweenTheThresholds() {
      long[] seqs = LongStream.range(0, 30).filter(s -> s % 7 != 3).toArray();
      assertThat(evaluate(rule, pavement(), frames(seqs)).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void anOutageIsLeftToDeviceOfflineAndARestartStartsAgain() {
      long[] outage =
          LongStream.concat(LongStream.range(0, 10), LongStream.range(25, 35)).toArray();
      assertThat(evaluate(rule, pavement(), frames(outage), twelve).state()).isEqualTo(State.CLEAR);

      List<WindowReading> restart = new ArrayList<>(frames(LongStream.range(0, 15).toArray()));
      for (long s = 0; s < 15; s++) {
        restart.add(reading(T.plus(TEN.multipliedBy(15 + s)), s, Metric.SURFACE_TEMP_C, 4));
      }
      assertThat(evaluate(rule, pavement(), restart, twelve).state()).isEqualTo(State.CLEAR);
    }

    @Test
    void needsEnoughExpectedMessagesAndIgnoresDuplicates() {
      long[] third = LongStream.range(0, 20).filter(s -> s % 3 != 1).toArray();
      assertThat(evaluate(rule, pavement(), frames(third)).state()).isEqualTo(State.UNKNOWN);
      List<WindowReading> dup = new ArrayList<>(frames(LongStream.range(0, 30).toArray()));
      dup.add(reading(T.plus(TEN.multipliedBy(29)).plusMillis(100), 29L, Metric.SURFACE_TEMP_C, 4));
      assertThat(evaluate(rule, pavement(), dup).state()).isEqualTo(State.CLEAR);
    }
  }
}
