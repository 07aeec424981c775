package io.kerbside.analytics.rules;

import static io.kerbside.analytics.rules.Readings.evaluate;
import static io.kerbside.analytics.rules.Readings.every;
import static io.kerbside.analytics.rules.Readings.streetlight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.analytics.rules.Evaluation.State;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.shredzone.commons.suncalc.SunTimes;

/**
 * Sunrise and sunset at UK latitudes across the year, and the streetlight rules that depend on
 * them. Expected times are those of the NOAA solar calculator (gml.noaa.gov/grad/solcalc), in UTC,
 * rounded to the minute.
 */
class SunClockTest {
  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final Duration TEN = Duration.ofMinutes(10);

  record Place(String name, double lat, double lon) {}

  static final Place PENZANCE = new Place("Penzance", 50.118, -5.537);
  static final Place CAMBRIDGE = new Place("Cambridge", 52.205, 0.1218);
  static final Place LERWICK = new Place("Lerwick", 60.155, -1.145);

  static Place place(String name) {
    return switch (name) {
      case "Penzance" -> PENZANCE;
      case "Cambridge" -> CAMBRIDGE;
      case "Lerwick" -> LERWICK;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest(name = "{0} {1}: sunrise {2}, sunset {3} UTC")
  @CsvSource({
    "Penzance, 2026-03-20, 06:25, 18:35",
    "Penzance, 2026-06-21, 04:12, 20:36",
    "Penzance, 2026-09-23, 06:10, 18:18",
    "Penzance, 2026-12-21, 08:19, 16:22",
    "Cambridge, 2026-03-20, 06:02, 18:13",
    "Cambridge, 2026-06-21, 03:38, 20:25",
    "Cambridge, 2026-09-23, 05:47, 17:56",
    "Cambridge, 2026-12-21, 08:06, 15:49",
    "Lerwick, 2026-03-20, 06:06, 18:19",
    "Lerwick, 2026-06-21, 02:39, 21:34",
    "Lerwick, 2026-09-23, 05:51, 18:02",
    "Lerwick, 2026-12-21, 09:08, 14:57",
  })
  void theSunCrossesTheHorizonAtThePublishedTimes(
      String name, LocalDate date, LocalTime rise, LocalTime set) {
    Place p = place(name);
    Instant expectedRise = date.atTime(rise).toInstant(ZoneOffset.UTC);
    Instant expectedSet = date.atTime(set).toInstant(ZoneOffset.UTC);
    Instant noon =
        date.atTime(12, 0).toInstant(ZoneOffset.UTC).plusSeconds((long) (-p.lon() * 240));
    Instant midnight = noon.minus(Duration.ofHours(12));

    Instant actualRise = crossing(p, midnight, noon);
    Instant actualSet = crossing(p, noon, noon.plus(Duration.ofHours(12)));

    assertThat(Duration.between(expectedRise, actualRise).abs()).isLessThan(Duration.ofMinutes(3));
    assertThat(Duration.between(expectedSet, actualSet).abs()).isLessThan(Duration.ofMinutes(3));
  }

  /** Where the sun's altitude passes the sunrise altitude between a and b (bisection). */
  private static Instant crossing(Place p, Instant a, Instant b) {
    double fa = SunClock.altitudeDeg(p.lat(), p.lon(), a) - SunClock.SUNRISE_ALTITUDE_DEG;
    for (int i = 0; i < 40; i++) {
      Instant mid = a.plus(Duration.between(a, b).dividedBy(2));
      double fm = SunClock.altitudeDeg(p.lat(), p.lon(), mid) - SunClock.SUNRISE_ALTITUDE_DEG;
      if (Math.signum(fm) == Math.signum(fa)) {
        a = mid;
        fa = fm;
      } else {
        b = mid;
      }
    }
    return a;
  }

  @Test
  void theJvmTimeZoneDoesNotMoveTheSun() {
    Instant noon = Instant.parse("2026-06-21T12:00:00Z");
    double inUtc = SunClock.altitudeDeg(CAMBRIDGE.lat(), CAMBRIDGE.lon(), noon);
    java.util.TimeZone original = java.util.TimeZone.getDefault();
    try {
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Australia/Sydney"));
      assertThat(SunClock.altitudeDeg(CAMBRIDGE.lat(), CAMBRIDGE.lon(), noon)).isEqualTo(inUtc);
    } finally {
      java.util.TimeZone.setDefault(original);
    }
  }

  @Test
  void midsummerNightInLerwickHardlyGetsDark() {
    // the sun bottoms out about 6.4 degrees below the horizon near solar midnight
    Instant solarMidnight = Instant.parse("2026-06-22T00:06:00Z");
    assertThat(SunClock.altitudeDeg(LERWICK.lat(), LERWICK.lon(), solarMidnight))
        .isCloseTo(-6.4, within(0.5));
  }

  static List<WindowReading> lamp(Instant end, double on, double powerW) {
    return every(
        end.minus(TEN),
        TEN,
        2,
        i -> new Object[] {Metric.LAMP_ON, on, Metric.DIM_PCT, on * 100, Metric.POWER_W, powerW});
  }

  static Instant local(String dateTime) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(dateTime), LONDON).toInstant();
  }

  @ParameterizedTest(name = "{0} {1} local: lit lamp day-burner={2}, dark lamp failure={3}")
  @CsvSource({
    "Cambridge, 2026-06-21T13:00, ACTIVE, false",
    "Cambridge, 2026-12-21T23:00, UNKNOWN, true",
    "Cambridge, 2026-12-21T12:00, ACTIVE, false",
    "Penzance, 2026-06-21T20:30, ACTIVE, false",
    "Penzance, 2026-12-21T17:30, UNKNOWN, true",
    "Penzance, 2026-03-20T05:45, UNKNOWN, true",
    "Lerwick, 2026-06-21T13:00, ACTIVE, false",
    "Lerwick, 2026-06-21T21:00, ACTIVE, false",
    "Lerwick, 2026-06-21T23:00, UNKNOWN, false",
    "Lerwick, 2026-06-22T01:10, UNKNOWN, true",
    "Lerwick, 2026-06-22T03:10, UNKNOWN, false",
    "Lerwick, 2026-12-21T16:00, UNKNOWN, true",
    "Lerwick, 2026-12-21T12:00, ACTIVE, false",
  })
  void dayBurnerAndLampFailureFollowTheSunAtThePlace(
      String name, String localTime, State litLampDayBurner, boolean darkLampFailed) {
    Place p = place(name);
    Subject lamp = streetlight(p.lat(), p.lon(), 60.0);
    Instant at = local(localTime);

    assertThat(evaluate(new DayBurnerRule(), lamp, lamp(at, 1, 61)).state())
        .isEqualTo(litLampDayBurner);
    assertThat(evaluate(new LampFailureRule(), lamp, lamp(at, 1, 0.5)).isActive())
        .isEqualTo(darkLampFailed);
  }

  /**
   * Over a whole year at each place, a lamp whose photocell switches as late as 15 minutes after
   * sunset and off 15 minutes before sunrise (the simulator's worst case) is never taken for a
   * day-burner while lit, nor for a failed lamp while off.
   */
  @Test
  void aHealthyPhotocellIsNeverFlaggedAnyDayOfTheYear() {
    Rule dayBurner = new DayBurnerRule();
    Rule failure = new LampFailureRule();
    Duration delay = Duration.ofMinutes(15);
    for (Place p : List.of(PENZANCE, CAMBRIDGE, LERWICK)) {
      Subject subject = streetlight(p.lat(), p.lon(), 60.0);
      List<String> wrong = new ArrayList<>();
      for (LocalDate d = LocalDate.of(2026, 1, 1); d.getYear() == 2026; d = d.plusDays(1)) {
        SunTimes sun =
            SunTimes.compute().on(d).timezone(LONDON).at(p.lat(), p.lon()).oneDay().execute();
        Instant offAt = sun.getRise().toInstant().minus(delay);
        Instant onAt = sun.getSet().toInstant().plus(delay);
        // the morning switch-off and the evening switch-on, each seen from either side
        for (Instant t :
            List.of(
                offAt.minus(TEN),
                offAt.plus(TEN),
                onAt.minus(TEN),
                onAt.plus(TEN),
                offAt.plus(TEN.multipliedBy(3)),
                onAt.minus(TEN.multipliedBy(3)))) {
          boolean lit = t.isBefore(offAt) || !t.isBefore(onAt);
          List<WindowReading> r = lamp(t, lit ? 1 : 0, lit ? 61 : 0.3);
          if (lit && evaluate(dayBurner, subject, r).isActive()) {
            wrong.add("day-burner at " + t);
          }
          if (!lit && evaluate(failure, subject, lamp(t, 1, 0.5)).isActive()) {
            wrong.add("lamp-failure at " + t + " while the photocell would have it off");
          }
        }
      }
      assertThat(wrong).as(p.name()).isEmpty();
    }
  }
}
