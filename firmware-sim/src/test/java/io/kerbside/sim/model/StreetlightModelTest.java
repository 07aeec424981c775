package io.kerbside.sim.model;

import static io.kerbside.sim.model.TestAssets.LONDON;
import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.Metric;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.DimmingProfile;
import io.kerbside.sim.town.GeoPoint;
import io.kerbside.sim.town.LampType;
import io.kerbside.sim.weather.SunWindow;
import io.kerbside.sim.weather.WeatherRegime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreetlightModelTest {
  private static final GeoPoint EDINBURGH = new GeoPoint(55.9533, -3.1883);
  private static final GeoPoint PENZANCE = new GeoPoint(50.1188, -5.5376);

  private static StreetlightModel model(Asset lamp, Instant start) {
    return new StreetlightModel(
        lamp, TestAssets.weather(WeatherRegime.NATURAL), LONDON, start, Seeds.stream(7, 2));
  }

  private static Asset led(GeoPoint where) {
    return TestAssets.lamp(where, LampType.LED, 36, DimmingProfile.PART_NIGHT);
  }

  @ParameterizedTest
  @CsvSource({
    "2026-06-21, 52.2053, 0.1218",
    "2026-12-21, 52.2053, 0.1218",
    "2026-06-21, 55.9533, -3.1883",
    "2026-03-29, 50.1188, -5.5376"
  })
  void isOnOnlyBetweenDuskAndDawnForItsPlaceAndDate(LocalDate date, double lat, double lon) {
    Asset lamp = led(new GeoPoint(lat, lon));
    Instant start = date.atStartOfDay(LONDON).toInstant();
    StreetlightModel model = model(lamp, start);
    SunWindow sun = SunWindow.of(date, lat, lon, LONDON);
    Duration slack = StreetlightModel.MAX_PHOTOCELL_DELAY;
    int on = 0;
    for (Instant t = start; t.isBefore(start.plus(Duration.ofDays(1))); t = t.plusSeconds(600)) {
      boolean lit = TestAssets.advance(model, t, ConditionSink.none()).get(Metric.LAMP_ON) == 1;
      if (sun.isDaylight(t)) {
        assertThat(lit).as("lit in daylight at %s", t).isFalse();
      } else if (t.isBefore(sun.rise().minus(slack)) || t.isAfter(sun.set().plus(slack))) {
        assertThat(lit).as("dark at %s", t).isTrue();
      }
      on += lit ? 1 : 0;
    }
    assertThat(on).isPositive();
  }

  @Test
  void switchesOnLaterInEdinburghThanInPenzanceOnMidsummerEvening() {
    LocalDate midsummer = LocalDate.parse("2026-06-21");
    Instant evening = midsummer.atTime(21, 0).atZone(LONDON).toInstant();
    Instant edinburghOn = firstOn(model(led(EDINBURGH), evening), evening);
    Instant penzanceOn = firstOn(model(led(PENZANCE), evening), evening);

    assertThat(Duration.between(penzanceOn, edinburghOn)).isGreaterThan(Duration.ofMinutes(10));
    assertThat(edinburghOn).isAfter(SunWindow.of(midsummer, 55.9533, -3.1883, LONDON).set());
  }

  private static Instant firstOn(StreetlightModel model, Instant from) {
    for (Instant t = from; ; t = t.plusSeconds(60)) {
      if (TestAssets.advance(model, t, ConditionSink.none()).get(Metric.LAMP_ON) == 1) {
        return t;
      }
    }
  }

  @Test
  void countsEnergyAndBurningHoursOnlyWhileLit() {
    Instant noon = LocalDateTime.parse("2026-01-14T12:00").atZone(LONDON).toInstant();
    StreetlightModel model = model(led(TestAssets.CAMBRIDGE), noon);
    TestAssets.Step a = TestAssets.advance(model, noon, ConditionSink.none());
    TestAssets.Step b = TestAssets.advance(model, noon.plusSeconds(3600), ConditionSink.none());
    Instant night = LocalDateTime.parse("2026-01-14T20:00").atZone(LONDON).toInstant();
    TestAssets.Step c = TestAssets.advance(model, night, ConditionSink.none());
    TestAssets.Step d = TestAssets.advance(model, night.plusSeconds(3600), ConditionSink.none());

    assertThat(b.get(Metric.BURN_HOURS)).isEqualTo(a.get(Metric.BURN_HOURS));
    assertThat(b.get(Metric.ENERGY_WH) - a.get(Metric.ENERGY_WH)).isLessThan(0.5);
    assertThat(d.get(Metric.BURN_HOURS) - c.get(Metric.BURN_HOURS)).isCloseTo(1.0, within(0.01));
    assertThat(d.get(Metric.ENERGY_WH) - c.get(Metric.ENERGY_WH)).isBetween(30.0, 40.0);
    assertThat(d.get(Metric.POWER_W)).isBetween(34.0, 38.0);
    assertThat(a.get(Metric.LUX)).isGreaterThan(400);
    assertThat(d.get(Metric.LUX)).isLessThan(20);
  }

  @Test
  void ledLampsDimLateAtNight() {
    Instant evening = LocalDateTime.parse("2026-01-14T19:00").atZone(LONDON).toInstant();
    StreetlightModel model = model(led(TestAssets.CAMBRIDGE), evening);
    double early = TestAssets.advance(model, evening, ConditionSink.none()).get(Metric.DIM_PCT);
    double late =
        TestAssets.advance(model, evening.plus(Duration.ofHours(4)), ConditionSink.none())
            .get(Metric.DIM_PCT);
    TestAssets.Step small =
        TestAssets.advance(model, evening.plus(Duration.ofHours(7)), ConditionSink.none());

    assertThat(early).isEqualTo(100);
    assertThat(late).isEqualTo(75);
    assertThat(small.get(Metric.DIM_PCT)).isEqualTo(50);
    assertThat(small.get(Metric.POWER_W)).isBetween(17.0, 20.0);
  }

  @Test
  void aFailedLampIsSwitchedOnButDrawsNoPower() {
    Instant night = LocalDateTime.parse("2026-01-14T20:00").atZone(LONDON).toInstant();
    StreetlightModel model = model(led(TestAssets.CAMBRIDGE), night);
    model.setFault(FaultType.LAMP_FAILURE, true, night);
    TestAssets.Step s = TestAssets.advance(model, night.plusSeconds(600), ConditionSink.none());

    assertThat(s.get(Metric.LAMP_ON)).isEqualTo(1);
    assertThat(s.get(Metric.POWER_W)).isLessThan(1);
    assertThat(s.get(Metric.CURRENT_A)).isLessThan(0.01);
  }

  @Test
  void aDayBurnerIsOnInDaylight() {
    Instant noon = LocalDateTime.parse("2026-01-14T12:00").atZone(LONDON).toInstant();
    StreetlightModel model = model(led(TestAssets.CAMBRIDGE), noon);
    model.setFault(FaultType.DAY_BURNER, true, noon);
    TestAssets.Step s = TestAssets.advance(model, noon.plusSeconds(600), ConditionSink.none());

    assertThat(s.get(Metric.LAMP_ON)).isEqualTo(1);
    assertThat(s.get(Metric.POWER_W)).isGreaterThan(30);
    assertThat(s.get(Metric.LUX)).isGreaterThan(400);
  }

  @Test
  void aCyclingLampGoesOutAndComesBackThroughTheNight() {
    Instant night = LocalDateTime.parse("2026-01-14T20:00").atZone(LONDON).toInstant();
    StreetlightModel model =
        model(TestAssets.lamp(TestAssets.CAMBRIDGE, LampType.SON, 100, DimmingProfile.NONE), night);
    model.setFault(FaultType.CYCLING_LAMP, true, night);
    int on = 0;
    int readings = 0;
    for (Instant t = night; t.isBefore(night.plus(Duration.ofHours(6))); t = t.plusSeconds(600)) {
      on += (int) TestAssets.advance(model, t, ConditionSink.none()).get(Metric.LAMP_ON);
      readings++;
    }
    assertThat(on).isBetween(readings / 5, readings * 4 / 5);
  }

  @Test
  void aFaultOnlyCountsFromItsStart() {
    Instant night = LocalDateTime.parse("2026-01-14T20:00").atZone(LONDON).toInstant();
    StreetlightModel healthy = model(led(TestAssets.CAMBRIDGE), night);
    StreetlightModel failing = model(led(TestAssets.CAMBRIDGE), night);
    TestAssets.advance(healthy, night, ConditionSink.none());
    TestAssets.advance(failing, night, ConditionSink.none());
    failing.setFault(FaultType.LAMP_FAILURE, true, night.plusSeconds(1800));
    double healthyWh =
        TestAssets.advance(healthy, night.plusSeconds(3600), ConditionSink.none())
            .get(Metric.ENERGY_WH);
    double failingWh =
        TestAssets.advance(failing, night.plusSeconds(3600), ConditionSink.none())
            .get(Metric.ENERGY_WH);

    assertThat(healthyWh - failingWh).isCloseTo(36 * 0.5, within(1.0));
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
