package io.kerbside.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.sim.Scenario;
import io.kerbside.sim.TownCentre;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ScenarioSpecTest {
  private static final Instant JULY_NOON = Instant.parse("2026-07-10T11:00:00Z");
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  @Test
  void aWinterNightStartsAtFourOnTheLatestWinterAfternoon() {
    Instant start =
        ScenarioSpec.of(Scenario.WINTER_NIGHT)
            .defaultStart(JULY_NOON, Duration.ofHours(16), 60, TownCentre.DEFAULT);
    ZonedDateTime local = start.atZone(LONDON);

    assertThat(local.toLocalTime()).isEqualTo(LocalTime.of(16, 0));
    assertThat(local.toLocalDate()).isEqualTo(LocalDate.of(2026, 2, 28));
  }

  @Test
  void aSouthernWinterNightIsInJuly() {
    TownCentre hobart = new TownCentre("Hobart", -42.88, 147.33, ZoneId.of("Australia/Hobart"));
    Instant start =
        ScenarioSpec.of(Scenario.WINTER_NIGHT)
            .defaultStart(JULY_NOON, Duration.ofHours(16), 60, hobart);

    assertThat(start.atZone(hobart.zone()).getMonth()).isEqualTo(Month.JULY);
  }

  @Test
  void anAcceleratedRunEndsNoLaterThanNow() {
    Instant start =
        ScenarioSpec.of(Scenario.CHAOS)
            .defaultStart(JULY_NOON, Duration.ofHours(2), 0, TownCentre.DEFAULT);

    assertThat(start).isEqualTo(JULY_NOON.minus(Duration.ofHours(2)));
  }

  @Test
  void aRealTimeRunStartsNow() {
    Instant start =
        ScenarioSpec.of(Scenario.QUIET_DAY)
            .defaultStart(JULY_NOON.plusSeconds(17), Duration.ofDays(1), 1, TownCentre.DEFAULT);

    assertThat(start).isEqualTo(JULY_NOON);
  }

  @Test
  void collectionDayStartsBeforeTheRoundsAndCollectsThatDay() {
    ScenarioSpec spec = ScenarioSpec.of(Scenario.COLLECTION_DAY);
    Instant start = spec.defaultStart(JULY_NOON, Duration.ofDays(1), 0, TownCentre.DEFAULT);

    assertThat(start.atZone(LONDON).toLocalTime()).isEqualTo(LocalTime.of(5, 0));
    assertThat(spec.modelSettings(start, LONDON).collectionDay())
        .isEqualTo(start.atZone(LONDON).toLocalDate());
  }
}
