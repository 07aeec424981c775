package io.kerbside.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.sim.FaultType;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.TownCentre;
import io.kerbside.sim.scenario.ScenarioSpec;
import io.kerbside.sim.town.Town;
import io.kerbside.sim.town.TownGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultPlannerTest {
  private static final Instant START = Instant.parse("2026-01-14T16:00:00Z");
  private static final Instant END = START.plus(Duration.ofHours(2));
  private final Town town = TownGenerator.generate(200, TownCentre.DEFAULT, 42);

  private List<PlannedFault> plan(Scenario scenario, long seed) {
    return FaultPlanner.plan(ScenarioSpec.of(scenario), town, START, END, seed);
  }

  @Test
  void plansEveryDeviceFaultOfChaosOnDevicesThatCanHaveItWithinTheRun() {
    List<PlannedFault> plan = plan(Scenario.CHAOS, 42);

    Set<FaultType> device = EnumSet.noneOf(FaultType.class);
    for (FaultType t : FaultType.values()) {
      if (t.category() == FaultType.Category.DEVICE) {
        device.add(t);
      }
    }
    assertThat(plan.stream().map(PlannedFault::type).collect(Collectors.toSet())).isEqualTo(device);
    for (PlannedFault f : plan) {
      assertThat(f.type().appliesTo(town.asset(f.device()).kind())).isTrue();
      assertThat(f.from()).isAfterOrEqualTo(START.plus(Duration.ofMinutes(6)));
      assertThat(f.until()).isBeforeOrEqualTo(END).isAfterOrEqualTo(f.from());
    }
    assertThat(plan).isSortedAccordingTo((a, b) -> a.from().compareTo(b.from()));
  }

  @Test
  void isTheSameForTheSameSeed() {
    assertThat(plan(Scenario.CHAOS, 42)).isEqualTo(plan(Scenario.CHAOS, 42));
    assertThat(plan(Scenario.CHAOS, 42)).isNotEqualTo(plan(Scenario.CHAOS, 43));
  }

  @Test
  void aQuietDayHasNoFaults() {
    assertThat(plan(Scenario.QUIET_DAY, 42)).isEmpty();
  }

  @Test
  void aWinterNightFailsAboutThreePercentOfTheLamps() {
    long lamps =
        plan(Scenario.WINTER_NIGHT, 42).stream()
            .filter(f -> f.type() == FaultType.LAMP_FAILURE)
            .count();

    assertThat(lamps).isEqualTo(Math.round(0.03 * 90));
  }

  @Test
  void openingFaultsBeginInTheFirstMinutesOnDevicesTheScenarioLeavesAlone() {
    List<PlannedFault> scenario = plan(Scenario.COLLECTION_DAY, 42);
    List<PlannedFault> opening = FaultPlanner.opening(town, START, END, 42, scenario);
    assertThat(opening)
        .extracting(PlannedFault::type)
        .containsExactlyInAnyOrder(
            FaultType.BIN_KNOCKED_OVER,
            FaultType.BIN_FIRE,
            FaultType.OFFLINE,
            FaultType.LAMP_FAILURE);
    assertThat(opening)
        .allSatisfy(
            f -> {
              assertThat(f.from()).isBetween(START, START.plus(Duration.ofMinutes(10)));
              assertThat(f.until()).isAfter(f.from());
              assertThat(town.assets().get(f.device()).kind()).matches(f.type()::appliesTo);
            });
    assertThat(opening).extracting(PlannedFault::device).doesNotHaveDuplicates();
    assertThat(opening)
        .extracting(PlannedFault::device)
        .doesNotContainAnyElementsOf(scenario.stream().map(PlannedFault::device).toList());
    assertThat(FaultPlanner.opening(town, START, END, 42, scenario)).isEqualTo(opening);
  }
}
