package io.kerbside.sim.model;

import static io.kerbside.sim.model.TestAssets.LONDON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.kerbside.core.Metric;
import io.kerbside.sim.ConditionType;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.StreetType;
import io.kerbside.sim.weather.WeatherRegime;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinModelTest {
  /** A Tuesday. */
  private static final Instant TUESDAY =
      LocalDateTime.parse("2026-03-10T00:00").atZone(LONDON).toInstant();

  private static BinModel model(Asset asset, ModelSettings settings) {
    return new BinModel(
        asset,
        TestAssets.weather(WeatherRegime.NATURAL),
        settings,
        LONDON,
        TUESDAY,
        Seeds.stream(7, 1));
  }

  private static final ModelSettings START_AT_10_PCT = new ModelSettings(10, 10, 1, null, 0);

  @Test
  void fillRisesThroughTheDayFasterThanAtNightAndDropsToNearZeroWhenCollected() {
    Asset bin =
        TestAssets.bin(StreetType.HIGH_STREET, EnumSet.of(DayOfWeek.WEDNESDAY), LocalTime.of(7, 0));
    BinModel model = model(bin, START_AT_10_PCT);
    TestAssets.Conditions conditions = new TestAssets.Conditions();

    double previous = 10;
    double night = 0;
    double day = 0;
    for (Instant t = TUESDAY.plus(Duration.ofMinutes(15));
        !t.isAfter(TUESDAY.plus(Duration.ofHours(24)));
        t = t.plus(BinModel.REPORT_INTERVAL)) {
      TestAssets.advance(model, t, conditions);
      double rise = model.fillPct() - previous;
      assertThat(rise).isGreaterThanOrEqualTo(0);
      int hour = t.atZone(LONDON).getHour();
      if (hour < 6) {
        night += rise;
      } else if (hour >= 10 && hour < 16) {
        day += rise;
      }
      previous = model.fillPct();
    }
    assertThat(model.fillPct()).isGreaterThan(30);
    assertThat(day).isGreaterThan(night * 5);
    assertThat(conditions.seen).isEmpty();

    Instant collection = TUESDAY.plus(Duration.ofHours(31));
    TestAssets.Step after =
        TestAssets.advance(model, collection.plus(Duration.ofMinutes(5)), conditions);
    assertThat(after.get(Metric.FILL_PCT)).isLessThan(5);
    assertThat(conditions.seen).containsExactly("bin-collected");
    assertThat(conditions.at).containsExactly(collection);
  }

  @Test
  void aFullBinIsFullFromCrossingTheLineUntilItIsEmptied() {
    // 85 % on a Tuesday midnight, emptied on Wednesday at 07:00
    Asset bin =
        TestAssets.bin(StreetType.HIGH_STREET, EnumSet.of(DayOfWeek.WEDNESDAY), LocalTime.of(7, 0));
    BinModel model = model(bin, new ModelSettings(85, 85, 1, null, 0));
    List<Instant[]> full = new ArrayList<>();
    ConditionSink sink =
        (type, asset, from, until, detail) -> {
          if (type == ConditionType.BIN_FULL) {
            full.add(new Instant[] {from, until});
          }
        };
    Instant crossed = null;
    for (Instant t = TUESDAY.plus(BinModel.REPORT_INTERVAL);
        !t.isAfter(TUESDAY.plus(Duration.ofHours(32)));
        t = t.plus(BinModel.REPORT_INTERVAL)) {
      TestAssets.advance(model, t, sink);
      if (crossed == null && model.fillPct() >= BinModel.FULL_PCT) {
        crossed = t;
        assertThat(full).as("recorded when it ends, not when it begins").isEmpty();
      }
    }
    model.finish(TUESDAY.plus(Duration.ofHours(32)), sink);

    assertThat(crossed).isNotNull();
    assertThat(full).hasSize(1);
    assertThat(full.get(0)).containsExactly(crossed, TUESDAY.plus(Duration.ofHours(31)));
  }

  @Test
  void highStreetBinsFillFasterThanResidentialOnes() {
    Asset high =
        TestAssets.bin(StreetType.HIGH_STREET, EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(7, 0));
    Asset home =
        TestAssets.bin(StreetType.RESIDENTIAL, EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(7, 0));
    BinModel highModel = model(high, START_AT_10_PCT);
    BinModel homeModel = model(home, START_AT_10_PCT);
    Instant evening = TUESDAY.plus(Duration.ofHours(22));
    TestAssets.advance(highModel, evening, ConditionSink.none());
    TestAssets.advance(homeModel, evening, ConditionSink.none());

    assertThat(highModel.fillPct() - 10).isGreaterThan(1.5 * (homeModel.fillPct() - 10));
  }

  @Test
  void reportsTheDistanceFromTheLidToTheRubbish() {
    Asset bin =
        TestAssets.bin(StreetType.HIGH_STREET, EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(7, 0));
    BinModel model = model(bin, new ModelSettings(40, 40, 1, null, 0));
    TestAssets.Step s =
        TestAssets.advance(model, TUESDAY.plus(Duration.ofHours(3)), ConditionSink.none());

    double expected = 30 + 1_000 * (1 - model.fillPct() / 100);
    assertThat(s.get(Metric.DISTANCE_MM))
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(15.0));
    assertThat(s.get(Metric.TILT_DEG)).isBetween(0.0, 5.0);
  }

  @Test
  void batteryDrainsSlowly() {
    Asset bin =
        TestAssets.bin(StreetType.RESIDENTIAL, EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(7, 0));
    BinModel model = model(bin, START_AT_10_PCT);
    double first =
        TestAssets.advance(model, TUESDAY.plus(Duration.ofHours(13)), ConditionSink.none())
            .get(Metric.BATTERY_V);
    double month =
        TestAssets.advance(
                model,
                TUESDAY.plus(Duration.ofDays(60)).plusSeconds(13 * 3600),
                ConditionSink.none())
            .get(Metric.BATTERY_V);

    assertThat(month).isLessThan(first).isGreaterThan(3.3);
  }

  @Test
  void aFireHeatsTheBinFarAboveTheAir() {
    Asset bin = TestAssets.bin(StreetType.PARK, EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(7, 0));
    BinModel model = model(bin, START_AT_10_PCT);
    Instant t = TUESDAY.plus(Duration.ofHours(20));
    double before = TestAssets.advance(model, t, ConditionSink.none()).get(Metric.TEMP_C);
    model.setFault(FaultType.BIN_FIRE, true, t);
    double burning =
        TestAssets.advance(model, t.plus(Duration.ofMinutes(45)), ConditionSink.none())
            .get(Metric.TEMP_C);

    assertThat(before).isLessThan(25);
    assertThat(burning).isGreaterThan(80).isLessThanOrEqualTo(200);
  }

  @Test
  void aKnockedOverBinLiesOnItsSideAndReadsEmpty() {
    Asset bin = TestAssets.bin(StreetType.PARK, EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(7, 0));
    BinModel model = model(bin, new ModelSettings(60, 60, 1, null, 0));
    Instant t = TUESDAY.plus(Duration.ofHours(12));
    model.setFault(FaultType.BIN_KNOCKED_OVER, true, t);
    TestAssets.Step s = TestAssets.advance(model, t.plusSeconds(60), ConditionSink.none());

    assertThat(s.get(Metric.TILT_DEG)).isGreaterThan(80);
    assertThat(s.get(Metric.FILL_PCT)).isZero();
    assertThat(s.get(Metric.DISTANCE_MM)).isGreaterThan(1_000);
  }

  @Test
  void aFailingBatterySagsTowardsThreeVolts() {
    Asset bin = TestAssets.bin(StreetType.PARK, EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(7, 0));
    BinModel model = model(bin, START_AT_10_PCT);
    Instant t = TUESDAY.plus(Duration.ofHours(12));
    model.setFault(FaultType.LOW_BATTERY, true, t);
    double v =
        TestAssets.advance(model, t.plus(Duration.ofHours(2)), ConditionSink.none())
            .get(Metric.BATTERY_V);

    assertThat(v).isLessThan(3.15);
  }

  @Test
  void aBinTheRoundsMissFillsSteadilyAndIsRecordedOverdueTwoDaysAfterPassingSeventyPercent() {
    Asset bin =
        TestAssets.bin(StreetType.HIGH_STREET, EnumSet.allOf(DayOfWeek.class), LocalTime.of(7, 0));
    ModelSettings settings =
        START_AT_10_PCT.withPlants(new Plants(Map.of(0, new Plants.MissedBin(40, 1.25)), Map.of()));
    BinModel model = model(bin, settings);
    List<Instant[]> overdue = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    ConditionSink sink =
        (type, asset, from, until, detail) -> {
          seen.add(type.code());
          if (type == ConditionType.BIN_NOT_COLLECTED) {
            overdue.add(new Instant[] {from, until});
          }
        };

    Instant end = TUESDAY.plus(Duration.ofDays(4));
    for (Instant t = TUESDAY.plus(Duration.ofMinutes(15));
        !t.isAfter(end);
        t = t.plus(BinModel.REPORT_INTERVAL)) {
      TestAssets.advance(model, t, sink);
      if (t.equals(TUESDAY.plus(Duration.ofHours(24)))) {
        assertThat(model.fillPct()).isCloseTo(70, offset(0.01));
      }
    }
    model.finish(end, sink);

    // never emptied, though a round was due every morning
    assertThat(seen).doesNotContain("bin-collected").contains("bin-full");
    assertThat(overdue).hasSize(1);
    assertThat(overdue.get(0)[0])
        .isBetween(TUESDAY.plus(Duration.ofHours(72)), TUESDAY.plus(Duration.ofHours(73)));
    assertThat(overdue.get(0)[1]).isEqualTo(end);
  }

  @Test
  void aBinEmptiedWithinTwoDaysOfPassingSeventyPercentIsNotOverdue() {
    Asset bin =
        TestAssets.bin(StreetType.RESIDENTIAL, EnumSet.of(DayOfWeek.WEDNESDAY), LocalTime.of(7, 0));
    BinModel model = model(bin, new ModelSettings(75, 75, 1, null, 0));
    List<String> seen = new ArrayList<>();
    ConditionSink sink = (type, asset, from, until, detail) -> seen.add(type.code());

    Instant end = TUESDAY.plus(Duration.ofDays(3));
    for (Instant t = TUESDAY.plus(Duration.ofMinutes(15));
        !t.isAfter(end);
        t = t.plus(BinModel.REPORT_INTERVAL)) {
      TestAssets.advance(model, t, sink);
    }
    model.finish(end, sink);

    assertThat(seen).contains("bin-collected").doesNotContain("bin-not-collected");
  }

  @Test
  void theDefaultUsageSpreadKeepsEachBinsFactorAsItWas() {
    for (double g : new double[] {-3, -2.6, -1, 0, 0.5, 1.9, 2.1, 3}) {
      assertThat(BinModel.usageFactor(0.2, g))
          .as("g = " + g)
          .isEqualTo(Math.max(0.6, Math.min(1.5, Math.exp(0.2 * g))));
    }
  }

  @Test
  void aWiderUsageSpreadSharesTheSameRubbishOutMoreUnevenly() {
    for (double spread : new double[] {0, 0.6, 1.0}) {
      SplittableRandom rng = Seeds.stream(11, 3);
      double[] factors = new double[200_000];
      for (int i = 0; i < factors.length; i++) {
        factors[i] = BinModel.usageFactor(spread, Seeds.gaussian(rng));
      }
      Arrays.sort(factors);
      double mean = Arrays.stream(factors).average().orElseThrow();
      assertThat(mean)
          .as("mean factor at spread " + spread)
          .isCloseTo(Math.exp(0.02), offset(0.01));
      double p90 = factors[factors.length * 9 / 10];
      double p10 = factors[factors.length / 10];
      assertThat(Math.log(p90 / p10))
          .as("the 10th to the 90th percentile at spread " + spread)
          .isCloseTo(2 * 1.2816 * spread, offset(0.02));
    }
  }

  @Test
  void aUsageSpreadOutsideItsRangeIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                new ModelSettings(10, 10, 1, null, 0)
                    .withBinUsageSpread(ModelSettings.MAX_BIN_USAGE_SPREAD + 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("usage spread must be between 0 and 2");
    assertThatThrownBy(() -> new ModelSettings(10, 10, 1, null, 0).withBinUsageSpread(-0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ModelSettings(10, 10, 1, null, 0).withBinUsageSpread(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
