package io.kerbside.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.ConfigException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class PlanningConfigTest {
  private static final String VEHICLE =
      "vehicles:\n  - name: rcv-1\n    capacity_l: 8000\n    shift_start: \"06:30\"\n"
          + "    shift_end: \"14:30\"\n    depot: {lat: 52.2, lon: 0.12}\n";
  private static final String ROUND =
      "rounds:\n  - name: morning\n    days: [mon, thu]\n    start: \"07:00\"\n"
          + "    end: \"14:00\"\n    vehicles: [rcv-1]\n";

  @Test
  void readsTheExampleFile() {
    PlanningConfig c = PlanningConfig.load(Path.of("collection-rounds.example.yaml"));
    assertThat(c.vehicles()).isNotEmpty();
    assertThat(c.rounds()).isNotEmpty();
  }

  @Test
  void readsVehiclesRoundsAndDefaults() {
    PlanningConfig c = PlanningConfig.parse(VEHICLE + ROUND, "p.yaml");
    assertThat(c.vehicle("rcv-1").capacityL()).isEqualTo(8000);
    assertThat(c.vehicle("rcv-1").shiftStart()).isEqualTo(LocalTime.of(6, 30));
    PlanningConfig.Round r = c.round("morning").orElseThrow();
    assertThat(r.days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.THURSDAY);
    assertThat(r.nextAfter(LocalDate.parse("2026-11-30"))).isEqualTo(LocalDate.parse("2026-12-03"));
    assertThat(r.serves("anywhere")).isTrue();
    assertThat(c.selection().fillThresholdPct()).isEqualTo(80);
    assertThat(c.travel().detourFactor()).isEqualTo(1.3);
    assertThat(c.travel().seconds(1000)).isEqualTo(180.0);
  }

  @Test
  void errorsNameTheFileAndTheField() {
    assertThatThrownBy(() -> PlanningConfig.parse(VEHICLE.replace("8000", "0") + ROUND, "p.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "p.yaml: vehicles[0] 'rcv-1': capacity_l must be between 1 and 10000000, got 0");
    assertThatThrownBy(
            () -> PlanningConfig.parse(VEHICLE + ROUND.replace("[rcv-1]", "[rcv-9]"), "p.yaml"))
        .hasMessageContaining("rounds[0] 'morning': vehicles names 'rcv-9', which is not declared");
    assertThatThrownBy(
            () -> PlanningConfig.parse(VEHICLE + ROUND.replace("thu", "thursdy"), "p.yaml"))
        .hasMessageContaining("days must list weekdays");
    assertThatThrownBy(
            () -> PlanningConfig.parse(VEHICLE.replace("14:30", "5pm") + ROUND, "p.yaml"))
        .hasMessageContaining("shift_end must be a time of day such as 07:30, got '5pm'");
    assertThatThrownBy(
            () -> PlanningConfig.parse("travel: {speed_kmh: 0}\n" + VEHICLE + ROUND, "p.yaml"))
        .hasMessage("p.yaml: travel: speed_kmh must be between 1 and 130, got 0");
    assertThatThrownBy(
            () ->
                PlanningConfig.parse(
                    "selection: {silent_after_h: 100, history_h: 48}\n" + VEHICLE + ROUND,
                    "p.yaml"))
        .hasMessageContaining("history_h (48) must be at least silent_after_h");
    assertThatThrownBy(() -> PlanningConfig.parse("colour: red\n" + VEHICLE + ROUND, "p.yaml"))
        .hasMessageContaining("unknown key 'colour'");
    assertThatThrownBy(() -> PlanningConfig.parse(ROUND, "p.yaml"))
        .hasMessage("p.yaml: vehicles must list at least one vehicle");
    assertThatThrownBy(
            () -> PlanningConfig.parse(VEHICLE + ROUND.replace("\"07:00\"", "\"15:00\""), "p.yaml"))
        .hasMessageContaining("end must be after start");
    assertThatThrownBy(() -> PlanningConfig.load(Path.of("no-such-file.yaml")))
        .hasMessageContaining("KERBSIDE_PLANNING_CONFIG names a file that cannot be read");
  }

  private static final String AREAS =
      "rounds:\n"
          + "  - {name: north, days: [mon, thu], wards: [Arbury, Castle], start: \"07:00\","
          + " end: \"14:00\", vehicles: [rcv-1]}\n"
          + "  - {name: south, days: [tue, fri], wards: [Cherry Hinton], start: \"07:00\","
          + " end: \"14:00\", vehicles: [rcv-1]}\n"
          + "  - {name: centre, wards: [Market], start: \"07:00\", end: \"14:00\","
          + " vehicles: [rcv-2]}\n";
  private static final String TWO_VEHICLES =
      VEHICLE + VEHICLE.replace("vehicles:\n", "").replace("rcv-1", "rcv-2");

  @Test
  void roundsByAreaCoverTheirWardsOnly() {
    PlanningConfig c = PlanningConfig.parse(TWO_VEHICLES + AREAS, "p.yaml");
    PlanningConfig.Round north = c.round("north").orElseThrow();
    assertThat(north.wards()).containsExactlyInAnyOrder("Arbury", "Castle");
    assertThat(north.covers("Castle")).isTrue();
    assertThat(north.covers("Market")).isFalse();
    assertThat(north.covers(null)).as("a bin without a ward").isFalse();
    PlanningConfig.Round every = PlanningConfig.parse(VEHICLE + ROUND, "p.yaml").rounds().get(0);
    assertThat(every.wards()).isEmpty();
    assertThat(every.covers("Castle")).isTrue();
    assertThat(every.covers(null)).isTrue();
  }

  @Test
  void refusesRoundsThatCouldEmptyTheSameBinOnTheSameDay() {
    assertThatThrownBy(
            () ->
                PlanningConfig.parse(
                    TWO_VEHICLES
                        + AREAS.replace(
                            "[tue, fri], wards: [Cherry Hinton]", "[tue, thu], wards: [Castle]"),
                    "p.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "p.yaml: rounds[1] 'south': overlaps round 'north': both can empty the same bins on the"
                + " same day (give them different days, councils or wards)");
    assertThatThrownBy(
            () ->
                PlanningConfig.parse(
                    TWO_VEHICLES + AREAS.replace(" wards: [Market],", ""), "p.yaml"))
        .as("a round of every ward meets every round by area on its days")
        .hasMessageContaining("rounds[2] 'centre': overlaps round 'north'");
    assertThatThrownBy(
            () ->
                PlanningConfig.parse(
                    TWO_VEHICLES
                        + ROUND
                        + ROUND.replace("rounds:\n", "").replace("morning", "evening"),
                    "p.yaml"))
        .hasMessageContaining("rounds[1] 'evening': overlaps round 'morning'");
    assertThatThrownBy(
            () ->
                PlanningConfig.parse(
                    TWO_VEHICLES + AREAS.replace("[tue, fri]", "[mon, fri]"), "p.yaml"))
        .as("the same vehicle on the same day at the same time, in other wards")
        .hasMessage(
            "p.yaml: rounds[1] 'south': uses vehicle 'rcv-1' on a day and at a time round"
                + " 'north' does");
  }

  @Test
  void acceptsRoundsOfTheSameWardsOnOtherDaysOrForOtherCouncils() {
    PlanningConfig c =
        PlanningConfig.parse(
            TWO_VEHICLES
                + AREAS
                    .replace("wards: [Cherry Hinton]", "wards: [Castle]")
                    .replace("{name: north,", "{name: north, councils: [default],")
                + "  - {name: other, councils: [elsewhere], days: [mon], wards: [Castle],"
                + " start: \"15:00\", end: \"18:00\", vehicles: [rcv-1]}\n",
            "p.yaml");
    assertThat(c.rounds()).hasSize(4);
  }

  @Test
  void refusesAWardListedTwice() {
    assertThatThrownBy(
            () ->
                PlanningConfig.parse(
                    TWO_VEHICLES + AREAS.replace("[Arbury, Castle]", "[Arbury, Arbury]"), "p.yaml"))
        .hasMessage("p.yaml: rounds[0] 'north': wards lists a ward twice");
  }
}
