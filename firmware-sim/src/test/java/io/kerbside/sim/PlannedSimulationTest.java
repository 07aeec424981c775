package io.kerbside.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.DeviceKind;
import io.kerbside.sim.plan.PlanFile;
import io.kerbside.sim.plan.PlanFileException;
import io.kerbside.sim.town.Asset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole simulation whose bins are emptied by plans: a bins-only town, checkpoints at which a
 * day's plan is added while the run waits, and plans that are refused.
 */
class PlannedSimulationTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-20T12:00:00Z"), ZoneOffset.UTC);
  private static final Instant MONDAY_5AM = Instant.parse("2026-01-12T05:00:00Z");

  private static SimConfig.Builder config(PlannedCollections planned) {
    return SimConfig.builder()
        .devices(100)
        .binsOnly(true)
        .scenario(Scenario.COLLECTION_WEEK)
        .speed(0)
        .start(MONDAY_5AM)
        .duration(Duration.ofHours(48))
        .collections(planned);
  }

  @Test
  void aBinsOnlyTownHasOnlyItsBins() {
    Simulation sim = Simulation.create(config(null).build(), CLOCK);
    assertThat(sim.town().size()).isEqualTo(35);
    assertThat(sim.town().count(DeviceKind.BIN)).isEqualTo(35);
  }

  @Test
  void aPlanAddedAtACheckpointEmptiesItsBinsAtTheirEtasAndNoOthers() throws Exception {
    PlannedCollections planned = new PlannedCollections("default");
    Simulation sim = Simulation.create(config(planned).build(), CLOCK);
    Asset first = sim.town().asset(0);
    Asset second = sim.town().asset(1);
    Instant tuesday5am = MONDAY_5AM.plus(Duration.ofDays(1));
    Instant eta1 = tuesday5am.plus(Duration.ofMinutes(95));
    Instant eta2 = tuesday5am.plus(Duration.ofMinutes(140));
    List<Instant> reached = new ArrayList<>();
    List<Long> readings = new ArrayList<>();
    Checkpoints daily =
        new Checkpoints() {
          @Override
          public List<Instant> instants() {
            return List.of(MONDAY_5AM, tuesday5am);
          }

          @Override
          public void reached(Instant at, long sent) {
            reached.add(at);
            readings.add(sent);
            if (at.equals(tuesday5am)) {
              planned.add(
                  new PlanFile(
                      "tuesday.csv",
                      "default",
                      LocalDate.of(2026, 1, 13),
                      "daily",
                      List.of(
                          new PlanFile.Stop(first.assetRef(), eta1),
                          new PlanFile.Stop(second.assetRef(), eta2),
                          new PlanFile.Stop(sim.town().asset(2).assetRef(), null))));
            }
          }
        };
    RecordingSink sink = new RecordingSink();
    SimReport report = sim.run(ProgressListener.none(), sink, daily);

    assertThat(reached).containsExactly(MONDAY_5AM, tuesday5am);
    // nothing before the start; a day of 35 bins reporting every 15 minutes before Tuesday
    assertThat(readings).containsExactly(0L, 35L * 96);
    // only the two bins with an ETA were emptied, once each; the fixed rounds emptied none
    assertThat(report.conditions()).containsEntry(ConditionType.BIN_COLLECTED, 2);
  }

  @Test
  void refusesAPlanOfAnotherTownWithoutFallingBackToTheFixedRounds() {
    PlannedCollections planned = new PlannedCollections("default");
    planned.add(
        new PlanFile(
            "elsewhere.csv",
            "default",
            LocalDate.of(2026, 1, 12),
            "daily",
            List.of(new PlanFile.Stop("XYZ/BIN/1", MONDAY_5AM.plusSeconds(3600)))));
    assertThatThrownBy(() -> Simulation.create(config(planned).build(), CLOCK))
        .isInstanceOf(PlanFileException.class)
        .hasMessageContaining("elsewhere.csv: 1 bin(s) this town does not have, e.g. XYZ/BIN/1");
  }
}
