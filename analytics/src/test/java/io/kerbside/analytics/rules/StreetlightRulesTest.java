package io.kerbside.analytics.rules;

import static io.kerbside.analytics.rules.Readings.evaluate;
import static io.kerbside.analytics.rules.Readings.every;
import static io.kerbside.analytics.rules.Readings.reading;
import static io.kerbside.analytics.rules.Readings.streetlight;
import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.analytics.rules.Evaluation.State;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The streetlight rules at Cambridge; sun-position edge cases are in {@link SunClockTest}. */
class StreetlightRulesTest {
  static final Instant WINTER_NIGHT = Instant.parse("2026-12-21T23:00:00Z");
  static final Instant SUMMER_NOON = Instant.parse("2026-06-21T12:00:00Z");
  static final Duration TEN = Duration.ofMinutes(10);

  /** {@code n} readings ending at {@code end}, the lamp reported on/off with a power draw. */
  static List<WindowReading> lamp(Instant end, int n, double on, double dimPct, double powerW) {
    return every(
        end.minus(TEN.multipliedBy(n - 1)),
        TEN,
        n,
        i -> new Object[] {Metric.LAMP_ON, on, Metric.DIM_PCT, dimPct, Metric.POWER_W, powerW});
  }

  @Test
  void aLampWithoutALocatedAssetCannotBeJudgedBySun() {
    Subject unattached =
        new Subject(
            Readings.COUNCIL,
            9,
            "light-00009",
            io.kerbside.core.DeviceKind.STREETLIGHT,
            TEN,
            java.util.Optional.empty());
    for (Rule rule : List.of(new LampFailureRule(), new DayBurnerRule(), new LampCyclingRule())) {
      assertThat(evaluate(rule, unattached, lamp(WINTER_NIGHT, 6, 1, 100, 0.5)).state())
          .as(rule.code())
          .isEqualTo(State.UNKNOWN);
    }
    assertThat(evaluate(new LampPowerBandRule(), unattached, lamp(WINTER_NIGHT, 2, 1, 100, 500)))
        .extracting(Evaluation::state)
        .isEqualTo(State.UNKNOWN);
  }

  @Nested
  class Failure {
    final Rule rule = new LampFailureRule();

    @Test
    void firesForALampSwitchedOnAtNightDrawingOnlyStandby() {
      Evaluation e = evaluate(rule, streetlight(60.0), lamp(WINTER_NIGHT, 2, 1, 100, 0.5));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(0.5);
      assertThat(e.details()).containsEntry("reported_off", false);
    }

    @Test
    void needsTwoReadingsInARow() {
      assertThat(evaluate(rule, streetlight(60.0), lamp(WINTER_NIGHT, 1, 1, 100, 0.5)).state())
          .isEqualTo(State.UNKNOWN);
    }

    @Test
    void doesNotFireForALitLampAndClearsIt() {
      assertThat(evaluate(rule, streetlight(60.0), lamp(WINTER_NIGHT, 2, 1, 100, 61)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void doesNotFireByDay() {
      Evaluation e = evaluate(rule, streetlight(60.0), lamp(SUMMER_NOON, 6, 0, 0, 0.3));
      assertThat(e.state()).isNotEqualTo(State.ACTIVE);
    }

    @Test
    void takesTheDimmingLevelIntoAccount() {
      // dimmed to 50 %: 30 W expected, 25 W is a working lamp
      assertThat(evaluate(rule, streetlight(60.0), lamp(WINTER_NIGHT, 2, 1, 50, 25)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void isUnknownBetweenTheFailureAndTheClearLevel() {
      // 20 W of 60: above 20 % (not failed), below 50 % (not proven mended)
      assertThat(evaluate(rule, streetlight(60.0), lamp(WINTER_NIGHT, 2, 1, 100, 20)).state())
          .isEqualTo(State.UNKNOWN);
    }

    @Test
    void aLampReportedOffAtNightNeedsTheWholeDarkSpell() {
      assertThat(evaluate(rule, streetlight(60.0), lamp(WINTER_NIGHT, 3, 0, 0, 0.3)).state())
          .isEqualTo(State.UNKNOWN);
      Evaluation e = evaluate(rule, streetlight(60.0), lamp(WINTER_NIGHT, 6, 0, 0, 0.3));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.details()).containsEntry("reported_off", true);
    }

    @Test
    void aBurstOfDarkReadingsIsNotADarkNight() {
      List<WindowReading> r = new java.util.ArrayList<>(lamp(WINTER_NIGHT, 3, 0, 0, 0.3));
      for (int i = 1; i <= 20; i++) {
        r.add(
            reading(
                WINTER_NIGHT.plusMillis(100L * i),
                Metric.LAMP_ON,
                0,
                Metric.DIM_PCT,
                0,
                Metric.POWER_W,
                0.3));
      }
      assertThat(evaluate(rule, streetlight(60.0), r).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void usesAnAbsoluteFloorWhenTheRatingIsUnknown() {
      assertThat(evaluate(rule, streetlight(null), lamp(WINTER_NIGHT, 2, 1, 100, 2)).state())
          .isEqualTo(State.ACTIVE);
      assertThat(evaluate(rule, streetlight(null), lamp(WINTER_NIGHT, 2, 1, 100, 40)).state())
          .isEqualTo(State.CLEAR);
    }
  }

  /** A lamp's readings with the meter's power and the voltage and current measured beside it. */
  static List<WindowReading> metered(
      Instant end, int n, double on, double dimPct, double powerW, double currentA) {
    return every(
        end.minus(TEN.multipliedBy(n - 1)),
        TEN,
        n,
        i ->
            new Object[] {
              Metric.LAMP_ON,
              on,
              Metric.DIM_PCT,
              dimPct,
              Metric.POWER_W,
              powerW,
              Metric.VOLTAGE_V,
              230,
              Metric.CURRENT_A,
              currentA
            });
  }

  @Nested
  class MeterFaults {
    @Test
    void aPowerMeterStuckAtStandbyWhileTheLampDrawsItsCurrentIsNotALampFailure() {
      Evaluation e =
          evaluate(
              new LampFailureRule(),
              streetlight(30.0),
              metered(WINTER_NIGHT, 6, 1, 100, 0.3, 0.126));
      assertThat(e.state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void aLampThatDrawsNeitherPowerNorCurrentAtNightHasFailed() {
      Evaluation e =
          evaluate(
              new LampFailureRule(),
              streetlight(30.0),
              metered(WINTER_NIGHT, 2, 1, 100, 0.3, 0.001));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void aPowerMeterStuckAtALitValueWhileTheLampIsOffByDayIsNotADayBurner() {
      Evaluation e =
          evaluate(
              new DayBurnerRule(), streetlight(30.0), metered(SUMMER_NOON, 2, 0, 0, 27.6, 0.001));
      assertThat(e.state()).isEqualTo(State.CLEAR);
    }

    @Test
    void aLampDrawingTheCurrentItsMeterShowsByDayIsADayBurnerWhateverItsControllerSays() {
      Evaluation e =
          evaluate(
              new DayBurnerRule(), streetlight(30.0), metered(SUMMER_NOON, 2, 0, 0, 27.6, 0.125));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
    }
  }

  @Nested
  class DayBurner {
    final Rule rule = new DayBurnerRule();

    @Test
    void firesForALampLitAtNoon() {
      Evaluation e = evaluate(rule, streetlight(60.0), lamp(SUMMER_NOON, 2, 1, 100, 61));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat((double) e.details().get("sun_altitude_deg")).isGreaterThan(55);
    }

    @Test
    void firesForALampDrawingFullPowerWhileItsControllerSaysOff() {
      assertThat(evaluate(rule, streetlight(60.0), lamp(SUMMER_NOON, 2, 0, 0, 60)).state())
          .isEqualTo(State.ACTIVE);
    }

    @Test
    void oneDaytimeReadingMayBeACrewTestingTheLamp() {
      assertThat(evaluate(rule, streetlight(60.0), lamp(SUMMER_NOON, 1, 1, 100, 61)).state())
          .isEqualTo(State.UNKNOWN);
    }

    @Test
    void doesNotFireForALampOffByDayAndClearsIt() {
      assertThat(evaluate(rule, streetlight(60.0), lamp(SUMMER_NOON, 2, 0, 0, 0.3)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void aLampLitAtNightIsNeitherADayBurnerNorProofOfAMend() {
      assertThat(evaluate(rule, streetlight(60.0), lamp(WINTER_NIGHT, 2, 1, 100, 61)).state())
          .isEqualTo(State.UNKNOWN);
    }
  }

  @Nested
  class Cycling {
    final Rule rule = new LampCyclingRule();

    List<WindowReading> pattern(Instant end, double... onOff) {
      int n = onOff.length;
      return every(
          end.minus(TEN.multipliedBy(n - 1)),
          TEN,
          n,
          i -> new Object[] {Metric.LAMP_ON, onOff[i], Metric.POWER_W, onOff[i] * 60});
    }

    @Test
    void firesForALampGoingOutAndStrikingAgainAtNight() {
      Evaluation e = evaluate(rule, streetlight(60.0), pattern(WINTER_NIGHT, 1, 0, 1, 1, 0, 1, 0));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(5);
    }

    @Test
    void doesNotFireForASteadyLampAndClearsIt() {
      assertThat(evaluate(rule, streetlight(60.0), pattern(WINTER_NIGHT, 1, 1, 1, 1, 1, 1, 1)))
          .extracting(Evaluation::state)
          .isEqualTo(State.CLEAR);
    }

    @Test
    void isUnknownWithAFewTransitions() {
      assertThat(evaluate(rule, streetlight(60.0), pattern(WINTER_NIGHT, 1, 1, 0, 1, 1, 1)))
          .extracting(Evaluation::state)
          .isEqualTo(State.UNKNOWN);
    }

    @Test
    void theEveningSwitchOnDoesNotCount() {
      // Cambridge, 21 December: sunset 15:49 UTC; the lamp comes on at 16:00 and stays on
      List<WindowReading> r =
          pattern(Instant.parse("2026-12-21T17:00:00Z"), 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1);
      assertThat(evaluate(rule, streetlight(60.0), r).state()).isNotEqualTo(State.ACTIVE);
    }

    @Test
    void transitionsByDayAreNotCycling() {
      assertThat(evaluate(rule, streetlight(60.0), pattern(SUMMER_NOON, 1, 0, 1, 0, 1, 0, 1)))
          .extracting(Evaluation::state)
          .isEqualTo(State.UNKNOWN);
    }
  }

  @Nested
  class PowerBand {
    final Rule rule = new LampPowerBandRule();

    @Test
    void firesForALampDrawingFarMoreThanItsRating() {
      Evaluation e = evaluate(rule, streetlight(100.0), lamp(WINTER_NIGHT, 2, 1, 100, 150));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(50);
    }

    @Test
    void firesForALampDrawingTooLittle() {
      assertThat(evaluate(rule, streetlight(100.0), lamp(WINTER_NIGHT, 2, 1, 100, 55)).state())
          .isEqualTo(State.ACTIVE);
    }

    @Test
    void aDimmedLampDrawsItsDimmedShare() {
      assertThat(evaluate(rule, streetlight(100.0), lamp(WINTER_NIGHT, 2, 1, 50, 51)).state())
          .isEqualTo(State.CLEAR);
      assertThat(evaluate(rule, streetlight(100.0), lamp(WINTER_NIGHT, 2, 1, 50, 90)).state())
          .isEqualTo(State.ACTIVE);
    }

    @Test
    void clearsWithinTheInnerBandAndIsUnknownBetweenTheBands() {
      assertThat(evaluate(rule, streetlight(100.0), lamp(WINTER_NIGHT, 2, 1, 100, 108)).state())
          .isEqualTo(State.CLEAR);
      assertThat(evaluate(rule, streetlight(100.0), lamp(WINTER_NIGHT, 2, 1, 100, 125)).state())
          .isEqualTo(State.UNKNOWN);
    }

    @Test
    void leavesAFailedLampAnOffLampAndAnUnknownRatingAlone() {
      assertThat(evaluate(rule, streetlight(100.0), lamp(WINTER_NIGHT, 2, 1, 100, 0.5)).state())
          .isEqualTo(State.UNKNOWN);
      assertThat(evaluate(rule, streetlight(100.0), lamp(SUMMER_NOON, 2, 0, 0, 0.3)).state())
          .isEqualTo(State.UNKNOWN);
      assertThat(evaluate(rule, streetlight(null), lamp(WINTER_NIGHT, 2, 1, 100, 150)).state())
          .isEqualTo(State.UNKNOWN);
    }

    @Test
    void oneReadingOutOfBandIsNotEnough() {
      List<WindowReading> r =
          List.of(
              reading(
                  WINTER_NIGHT.minus(TEN),
                  Metric.LAMP_ON,
                  1,
                  Metric.DIM_PCT,
                  100,
                  Metric.POWER_W,
                  100),
              reading(WINTER_NIGHT, Metric.LAMP_ON, 1, Metric.DIM_PCT, 100, Metric.POWER_W, 150));
      assertThat(evaluate(rule, streetlight(100.0), r).state()).isEqualTo(State.UNKNOWN);
    }
  }
}
