package io.kerbside.analytics.rules;

import static io.kerbside.analytics.rules.Readings.evaluate;
import static io.kerbside.analytics.rules.Readings.every;
import static io.kerbside.analytics.rules.Readings.pavement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.analytics.rules.Evaluation.State;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PavementRulesTest {
  static final Instant T = Instant.parse("2026-01-10T18:00:00Z");
  static final Duration TEN = Duration.ofMinutes(10);

  @Nested
  class IceRisk {
    final Rule rule = new IceRiskRule();

    /**
     * Readings every 10 min with the surface falling by {@code perHour}, a steady film and
     * moisture.
     */
    List<WindowReading> surface(
        double startC, double perHour, int n, double moisturePct, double filmMm) {
      return surface(T, startC, perHour, n, moisturePct, filmMm);
    }

    List<WindowReading> surface(
        Instant from, double startC, double perHour, int n, double moisturePct, double filmMm) {
      return every(
          from,
          TEN,
          n,
          i ->
              new Object[] {
                Metric.SURFACE_TEMP_C, startC - perHour * i / 6.0,
                Metric.MOISTURE_PCT, moisturePct,
                Metric.WATER_FILM_MM, filmMm
              });
    }

    @Test
    void firesForAWetSurfaceAtOrBelowOneDegree() {
      Evaluation e = evaluate(rule, pavement(), surface(0.5, 0, 3, 70, 0));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(0.5);
      assertThat(e.predictedAt()).isEmpty();
      assertThat(rule.higherIsWorse()).isFalse();
    }

    @Test
    void firesWhenAWetSurfaceFallsFastEnoughToReachItWithinTheHorizon() {
      // 6.5 °C falling 1.5 °C an hour: after 2 h it is at 3.5 °C, 1 °C in 1 h 40 min
      Evaluation e = evaluate(rule, pavement(), surface(6.5, 1.5, 13, 20, 0.6));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      Instant latest = T.plus(TEN.multipliedBy(12));
      assertThat(e.predictedAt()).isPresent();
      assertThat(Duration.between(latest, e.predictedAt().get()).toMinutes())
          .isCloseTo(100L, within(2L));
    }

    @Test
    void oneLowReadingIsNotAFall() {
      // a wet surface steady at 1.6 °C for two hours at night, then a reading of 1.2 °C: the
      // newest reading alone would put +1 °C within the horizon; the trend's level does not
      List<WindowReading> readings = surface(1.6, 0, 12, 90, 0.3);
      readings.addAll(
          every(
              T.plus(TEN.multipliedBy(12)),
              TEN,
              1,
              i ->
                  new Object[] {
                    Metric.SURFACE_TEMP_C, 1.2, Metric.MOISTURE_PCT, 90.0, Metric.WATER_FILM_MM, 0.3
                  }));

      Evaluation e = evaluate(rule, pavement(), readings);
      assertThat(e.state()).isEqualTo(State.UNKNOWN);
      assertThat(e.predictedAt()).isEmpty();
    }

    @Test
    void aFallThatWouldReachTheThresholdOnlyAfterSunriseIsNoPrediction() {
      // Cambridge, 10 January: the sun rises at about 08:05 GMT. A wet surface falling 0.6 °C an
      // hour to 2 °C reaches +1 °C 1 h 40 min later: from 03:00, before dawn; from 07:30, after it
      Instant night = Instant.parse("2026-01-10T01:00:00Z");
      Instant dawn = Instant.parse("2026-01-10T05:30:00Z");
      Evaluation beforeDawn = evaluate(rule, pavement(), surface(night, 3.2, 0.6, 13, 90, 0.3));
      assertThat(beforeDawn.state()).isEqualTo(State.ACTIVE);
      assertThat(
              Duration.between(
                      Instant.parse("2026-01-10T04:40:00Z"), beforeDawn.predictedAt().get())
                  .abs()
                  .toMinutes())
          .isLessThanOrEqualTo(2);

      Evaluation atDawn = evaluate(rule, pavement(), surface(dawn, 3.2, 0.6, 13, 90, 0.3));
      assertThat(atDawn.state()).isEqualTo(State.UNKNOWN);
      assertThat(atDawn.predictedAt()).isEmpty();

      // nor a fall seen in the morning, the sun up and climbing (08:30 to 10:30) ...
      Instant morning = Instant.parse("2026-01-10T08:30:00Z");
      assertThat(evaluate(rule, pavement(), surface(morning, 3.2, 0.6, 13, 90, 0.3)).state())
          .isEqualTo(State.UNKNOWN);
      // ... but in the afternoon, the sun past its highest (14:00 to 16:00), it is
      Instant afternoon = Instant.parse("2026-01-10T14:00:00Z");
      assertThat(evaluate(rule, pavement(), surface(afternoon, 3.2, 0.6, 13, 90, 0.3)).state())
          .isEqualTo(State.ACTIVE);
    }

    @Test
    void doesNotFireForADrySurfaceBelowZeroAndClearsIt() {
      assertThat(evaluate(rule, pavement(), surface(-2, 0, 3, 10, 0)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void doesNotFireForAWetSurfaceFallingSlowly() {
      assertThat(evaluate(rule, pavement(), surface(8, 0.5, 13, 80, 0.4)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void isUnknownForAWetSurfaceJustAboveTheThreshold() {
      assertThat(evaluate(rule, pavement(), surface(2, 0, 13, 80, 0.4)).state())
          .isEqualTo(State.UNKNOWN);
      assertThat(evaluate(rule, pavement(), surface(3.5, 0, 13, 80, 0.4)).state())
          .isEqualTo(State.CLEAR);
    }
  }

  @Nested
  class Roughness {
    final Rule rule = new PavementRoughnessRule();

    /** Two days of traffic vibration on a surface of roughness {@code g}, then {@code recent}. */
    List<WindowReading> history(double g, double... recent) {
      int n = 48 * 6;
      List<WindowReading> out =
          every(
              T,
              TEN,
              n,
              i -> {
                double hourOfDay = (i / 6) % 24;
                double traffic = hourOfDay >= 7 && hourOfDay < 20 ? 1.0 : 0.4;
                return new Object[] {Metric.VIBRATION_G, g * traffic};
              });
      out.addAll(every(T.plus(TEN.multipliedBy(n)), TEN, Metric.VIBRATION_G, recent));
      return out;
    }

    @Test
    void firesWhenVibrationJumpsAsAPotholeForms() {
      Evaluation e = evaluate(rule, pavement(), history(0.2, 0.55, 0.6, 0.58));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.summary()).contains("pothole");
    }

    @Test
    void firesAboveTheAbsoluteThreshold() {
      assertThat(evaluate(rule, pavement(), history(0.9, 1.1, 1.2, 1.1)).state())
          .isEqualTo(State.ACTIVE);
    }

    @Test
    void theDailySwingOfTrafficIsNoJumpAndOneLorryIsNoRise() {
      assertThat(evaluate(rule, pavement(), history(0.2, 0.08, 0.2, 0.2)).state())
          .isEqualTo(State.CLEAR);
      assertThat(evaluate(rule, pavement(), history(0.2, 0.2, 0.9, 0.2)).state())
          .isEqualTo(State.CLEAR);
    }

    /**
     * {@code hours} of a footway of peak roughness {@code g} in traffic, then {@code hoursAfter} of
     * peak roughness {@code after}, from midnight.
     */
    List<WindowReading> footway(int hours, double g, int hoursAfter, double after) {
      int n = hours * 6;
      return every(
          T,
          TEN,
          n + hoursAfter * 6,
          i -> {
            double hourOfDay = (i / 6) % 24;
            double traffic = hourOfDay >= 7 && hourOfDay < 20 ? 1.0 : 0.4;
            return new Object[] {Metric.VIBRATION_G, (i < n ? g : after) * traffic};
          });
    }

    @Test
    void aPotholeOverTheThresholdInTrafficStaysOpenThroughTheQuietNight() {
      // three days of 1.2 g in the day's traffic, then the small hours: 0.48 g, under the clear
      // level; the newest readings alone would call it calm and open it again in the morning
      List<WindowReading> night = footway(3 * 24 + 3, 1.2, 0, 0);
      assertThat(night.get(night.size() - 1).value(Metric.VIBRATION_G).getAsDouble())
          .isLessThan(0.8);

      assertThat(evaluate(rule, pavement(), night).state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void clearsADayAfterARepair() {
      assertThat(evaluate(rule, pavement(), footway(3 * 24, 1.2, 12, 0.3)).state())
          .isEqualTo(State.UNKNOWN);
      assertThat(evaluate(rule, pavement(), footway(3 * 24, 1.2, 25, 0.3)).state())
          .isEqualTo(State.CLEAR);
    }

    @Test
    void isUnknownBetweenTheClearLevelAndTheThreshold() {
      assertThat(evaluate(rule, pavement(), history(0.85, 0.9, 0.9, 0.9)).state())
          .isEqualTo(State.UNKNOWN);
    }
  }

  @Nested
  class TripHazard {
    final Rule rule = new TripHazardRule();

    List<WindowReading> crack(double steady, double... recent) {
      List<WindowReading> out =
          every(T, Duration.ofHours(1), 20, i -> new Object[] {Metric.CRACK_MM, steady});
      out.addAll(every(T.plus(Duration.ofHours(20)), TEN, Metric.CRACK_MM, recent));
      return out;
    }

    @Test
    void firesAtTwentyMillimetres() {
      Evaluation e = evaluate(rule, pavement(), crack(21, 21, 21.1, 21));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.value()).isEqualTo(21);
    }

    @Test
    void firesOnASuddenWidening() {
      Evaluation e = evaluate(rule, pavement(), crack(3, 9, 9.1, 9));
      assertThat(e.state()).isEqualTo(State.ACTIVE);
      assertThat(e.summary()).contains("widened");
    }

    @Test
    void doesNotFireForAHairlineCrackOrOneNoisyReadingAndClears() {
      assertThat(evaluate(rule, pavement(), crack(3, 3, 3.1, 3)).state()).isEqualTo(State.CLEAR);
      assertThat(evaluate(rule, pavement(), crack(3, 3, 25, 3)).state()).isEqualTo(State.CLEAR);
    }

    @Test
    void isUnknownBetweenTheClearLevelAndTheThreshold() {
      assertThat(evaluate(rule, pavement(), crack(17, 17, 17, 17)).state())
          .isEqualTo(State.UNKNOWN);
    }
  }
}
