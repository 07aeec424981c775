package io.kerbside.sim.model;

import static io.kerbside.sim.model.TestAssets.LONDON;
import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.Metric;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.SurfaceType;
import io.kerbside.sim.weather.WeatherRegime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class PavementModelTest {
  private static final Instant WINTER_EVENING =
      LocalDateTime.parse("2026-01-14T16:00").atZone(LONDON).toInstant();

  private static PavementModel model(
      Asset asset, WeatherRegime weather, ModelSettings settings, Instant start) {
    return new PavementModel(
        asset, TestAssets.weather(weather), settings, LONDON, start, Seeds.stream(7, 3));
  }

  @Test
  void surfaceTemperatureCrossesZeroOnAWinterNightAndTheWetSurfaceIces() {
    Asset pavement = TestAssets.pavement(SurfaceType.ASPHALT, 0.2);
    PavementModel model =
        model(pavement, WeatherRegime.WINTER_COLD_SNAP, ModelSettings.natural(), WINTER_EVENING);
    TestAssets.Conditions conditions = new TestAssets.Conditions();
    double evening =
        TestAssets.advance(model, WINTER_EVENING, conditions).get(Metric.SURFACE_TEMP_C);
    double coldest = evening;
    for (Instant t = WINTER_EVENING;
        t.isBefore(WINTER_EVENING.plus(Duration.ofHours(14)));
        t = t.plus(PavementModel.REPORT_INTERVAL)) {
      coldest =
          Math.min(coldest, TestAssets.advance(model, t, conditions).get(Metric.SURFACE_TEMP_C));
    }
    model.finish(WINTER_EVENING.plus(Duration.ofHours(14)), conditions);

    assertThat(evening).isGreaterThan(1);
    assertThat(coldest).isLessThan(-2);
    assertThat(conditions.seen).contains("surface-ice", "wet-near-freezing");
    // the risk a council grits for comes first
    assertThat(conditions.at.get(conditions.seen.indexOf("wet-near-freezing")))
        .isBefore(conditions.at.get(conditions.seen.indexOf("surface-ice")));
  }

  @Test
  void aWetSurfaceNearOneDegreeIsAtRiskBeforeItFreezes() {
    Asset pavement = TestAssets.pavement(SurfaceType.ASPHALT, 0.2);
    PavementModel model =
        model(pavement, WeatherRegime.WINTER_COLD_SNAP, ModelSettings.natural(), WINTER_EVENING);
    TestAssets.Conditions conditions = new TestAssets.Conditions();
    Instant t = WINTER_EVENING;
    TestAssets.advance(model, t, conditions);
    while (model.surfaceC() > PavementModel.NEAR_FREEZING_C
        && t.isBefore(WINTER_EVENING.plus(Duration.ofHours(14)))) {
      t = t.plus(PavementModel.REPORT_INTERVAL);
      TestAssets.advance(model, t, conditions);
    }
    model.finish(t, conditions);

    assertThat(model.surfaceC()).isBetween(0.0, PavementModel.NEAR_FREEZING_C);
    assertThat(model.filmMm()).isGreaterThan(PavementModel.ICE_FILM_MM);
    assertThat(conditions.seen).containsExactly("wet-near-freezing");
    assertThat(conditions.at).containsExactly(t);
  }

  @Test
  void rainWetsTheSurfaceAndItDriesAfterwards() {
    Asset pavement = TestAssets.pavement(SurfaceType.CONCRETE, 0.3);
    PavementModel model =
        model(pavement, WeatherRegime.WINTER_COLD_SNAP, ModelSettings.natural(), WINTER_EVENING);
    TestAssets.Step duringRain =
        TestAssets.advance(model, WINTER_EVENING.plus(Duration.ofHours(2)), ConditionSink.none());

    assertThat(duringRain.get(Metric.WATER_FILM_MM)).isGreaterThan(0.5);
    assertThat(duringRain.get(Metric.MOISTURE_PCT)).isGreaterThan(90);

    Instant mildNoon = LocalDateTime.parse("2026-05-14T09:00").atZone(LONDON).toInstant();
    PavementModel dry = model(pavement, WeatherRegime.MILD_DRY, ModelSettings.natural(), mildNoon);
    double start = TestAssets.advance(dry, mildNoon, ConditionSink.none()).get(Metric.MOISTURE_PCT);
    double later =
        TestAssets.advance(dry, mildNoon.plus(Duration.ofHours(8)), ConditionSink.none())
            .get(Metric.MOISTURE_PCT);
    assertThat(later).isLessThan(start);
  }

  @Test
  void aMildDryDayNeverFreezesEvenInJanuary() {
    Asset pavement = TestAssets.pavement(SurfaceType.ASPHALT, 0.0);
    Instant midnight = LocalDateTime.parse("2026-01-14T00:00").atZone(LONDON).toInstant();
    PavementModel model =
        model(pavement, WeatherRegime.MILD_DRY, ModelSettings.natural(), midnight);
    TestAssets.Conditions conditions = new TestAssets.Conditions();
    for (Instant t = midnight;
        t.isBefore(midnight.plus(Duration.ofDays(1)));
        t = t.plusSeconds(600)) {
      assertThat(TestAssets.advance(model, t, conditions).get(Metric.SURFACE_TEMP_C)).isPositive();
    }
    assertThat(conditions.seen).isEmpty();
  }

  @Test
  void aPotholeMakesRoughnessAndCrackWidthJump() {
    Asset pavement = TestAssets.pavement(SurfaceType.ASPHALT, 0.2);
    Instant midnight = LocalDateTime.parse("2026-04-14T00:00").atZone(LONDON).toInstant();
    ModelSettings potholes = new ModelSettings(0, 0, 1, null, 365 * 24);
    PavementModel model = model(pavement, WeatherRegime.MILD_DRY, potholes, midnight);
    TestAssets.Conditions conditions = new TestAssets.Conditions();
    TestAssets.Step before = TestAssets.advance(model, midnight.plusSeconds(2 * 3600), conditions);
    TestAssets.Step after =
        TestAssets.advance(model, midnight.plus(Duration.ofHours(12)), conditions);

    assertThat(conditions.seen).contains("pothole");
    assertThat(after.get(Metric.CRACK_MM) - before.get(Metric.CRACK_MM)).isGreaterThan(2.5);
  }

  @Test
  void roughnessAndCracksGrowSlowlyWithoutPotholes() {
    Asset pavement = TestAssets.pavement(SurfaceType.ASPHALT, 0.2);
    Instant midnight = LocalDateTime.parse("2026-04-14T00:00").atZone(LONDON).toInstant();
    PavementModel model =
        model(pavement, WeatherRegime.MILD_DRY, new ModelSettings(0, 0, 1, null, 0), midnight);
    double first =
        TestAssets.advance(model, midnight.plusSeconds(3600), ConditionSink.none())
            .get(Metric.CRACK_MM);
    double later =
        TestAssets.advance(model, midnight.plus(Duration.ofDays(90)), ConditionSink.none())
            .get(Metric.CRACK_MM);

    assertThat(later - first).isBetween(0.1, 0.3);
  }

  @Test
  void aFreezingFaultIcesAWetSurfaceEvenOnAMildDay() {
    Asset pavement = TestAssets.pavement(SurfaceType.BLOCK_PAVING, 0.5);
    Instant morning = LocalDateTime.parse("2026-05-14T09:00").atZone(LONDON).toInstant();
    PavementModel model = model(pavement, WeatherRegime.MILD_DRY, ModelSettings.natural(), morning);
    TestAssets.advance(model, morning, ConditionSink.none());
    model.setFault(FaultType.PAVEMENT_FREEZING, true, morning);
    TestAssets.Conditions conditions = new TestAssets.Conditions();
    TestAssets.Step s = TestAssets.advance(model, morning.plus(Duration.ofHours(1)), conditions);

    assertThat(s.get(Metric.SURFACE_TEMP_C)).isLessThan(0);
    assertThat(s.get(Metric.WATER_FILM_MM)).isGreaterThan(0.5);
    model.finish(morning.plus(Duration.ofHours(1)), conditions);
    assertThat(conditions.seen).containsExactlyInAnyOrder("surface-ice", "wet-near-freezing");
  }

  /**
   * A section freezing on its own under mild air reads an air chilled by the cold surface, during
   * the fault and while the surface recovers, so the pair stays within what a street produces
   * (Kerbside's out-of-range rule calls a surface more than 12 degrees C below the air a fault).
   */
  @Test
  void aFreezingSectionUnderMildAirNeverReadsASurfaceFarBelowItsAir() {
    Asset pavement = TestAssets.pavement(SurfaceType.ASPHALT, 0.0);
    Instant evening = LocalDateTime.parse("2026-06-14T18:00").atZone(LONDON).toInstant();
    PavementModel model = model(pavement, WeatherRegime.MILD_DRY, ModelSettings.natural(), evening);
    TestAssets.advance(model, evening, ConditionSink.none());
    model.setFault(FaultType.PAVEMENT_FREEZING, true, evening);
    double coldest = Double.MAX_VALUE;
    double widestGap = 0;
    for (Instant t = evening;
        t.isBefore(evening.plus(Duration.ofHours(8)));
        t = t.plus(PavementModel.REPORT_INTERVAL)) {
      if (t.equals(evening.plus(Duration.ofHours(2)))) {
        model.setFault(FaultType.PAVEMENT_FREEZING, false, t);
      }
      TestAssets.Step s = TestAssets.advance(model, t, ConditionSink.none());
      coldest = Math.min(coldest, s.get(Metric.SURFACE_TEMP_C));
      widestGap = Math.max(widestGap, s.get(Metric.AIR_TEMP_C) - s.get(Metric.SURFACE_TEMP_C));
    }

    assertThat(coldest).isLessThan(-2);
    // the model keeps 8 degrees; sensor noise adds a little
    assertThat(widestGap).isLessThan(9);
  }
}
