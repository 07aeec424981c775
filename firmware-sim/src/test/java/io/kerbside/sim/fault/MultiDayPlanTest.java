package io.kerbside.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.sim.TownCentre;
import io.kerbside.sim.town.DimmingProfile;
import io.kerbside.sim.town.Town;
import io.kerbside.sim.town.TownGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiDayPlanTest {
  /** Kerbside's rules, as RuleCatalog names them. */
  private static final Set<String> EVERY_RULE =
      Set.of(
          "bin-full",
          "bin-predicted-full",
          "bin-fire",
          "bin-knocked-over",
          "bin-not-collected",
          "lamp-failure",
          "day-burner",
          "lamp-cycling",
          "lamp-power-band",
          "ice-risk",
          "pavement-roughness",
          "trip-hazard",
          "device-offline",
          "battery-low",
          "stuck-sensor",
          "out-of-range-values",
          "frame-counter-gaps");

  private final Town town = TownGenerator.generate(30, TownCentre.DEFAULT, 7);

  private MultiDayPlan plan(Instant start, long seed) {
    return MultiDayPlan.of(
        town, start, start.plus(Duration.ofDays(4)), TownCentre.DEFAULT.zone(), seed);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-14T09:00:00Z",
        "2026-06-17T00:00:00Z",
        "2026-03-29T00:30:00Z",
        "2025-10-24T23:59:00Z"
      })
  void plansSomethingForEveryRuleWithinTheRunEachOnADeviceOfItsOwn(String at) {
    Instant start = Instant.parse(at);
    Instant end = start.plus(Duration.ofDays(4));
    MultiDayPlan plan = plan(start, 7);

    assertThat(plan.expectations().stream().map(RuleExpectation::rule).collect(Collectors.toSet()))
        .isEqualTo(EVERY_RULE);
    for (RuleExpectation e : plan.expectations()) {
      assertThat(e.from()).as(e.rule()).isAfterOrEqualTo(start);
      assertThat(e.until()).as(e.rule()).isBeforeOrEqualTo(end);
    }
    Set<Integer> faulty = new HashSet<>();
    for (PlannedFault f : plan.faults()) {
      assertThat(faulty.add(f.device())).as("one fault per device").isTrue();
      assertThat(f.type().appliesTo(town.asset(f.device()).kind())).isTrue();
    }
    assertThat(plan.plants().missedBins().keySet()).doesNotContainAnyElementsOf(faulty);
    assertThat(plan.plants().potholes().keySet()).doesNotContainAnyElementsOf(faulty);
    assertThat(plan.faults()).isSortedAccordingTo((a, b) -> a.from().compareTo(b.from()));
  }

  @Test
  void thePowerBandLampDimsAtMidnight() {
    MultiDayPlan plan = plan(Instant.parse("2026-01-14T09:00:00Z"), 7);
    RuleExpectation band =
        plan.expectations().stream()
            .filter(e -> e.rule().equals("lamp-power-band"))
            .findFirst()
            .orElseThrow();

    assertThat(town.asset(band.device()).streetlight().dimming())
        .isEqualTo(DimmingProfile.PART_NIGHT);
  }

  @Test
  void isTheSameForTheSameSeedAndDrawsOtherDevicesForAnother() {
    Instant start = Instant.parse("2026-01-14T09:00:00Z");
    assertThat(plan(start, 7)).isEqualTo(plan(start, 7));
    List<Integer> devices = plan(start, 7).faults().stream().map(PlannedFault::device).toList();
    List<Integer> other = plan(start, 8).faults().stream().map(PlannedFault::device).toList();
    assertThat(other).isNotEqualTo(devices);
  }
}
