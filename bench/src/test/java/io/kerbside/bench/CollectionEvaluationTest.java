package io.kerbside.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.planning.PlanningConfig;
import io.kerbside.sim.TownCentre;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.Town;
import io.kerbside.sim.town.TownGenerator;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CollectionEvaluationTest {
  @Test
  void theGeneratedPlanningFileHasAVehicleForEvery150BinsAndADailyRoundLikeTheFixedOnes() {
    PlanningConfig small =
        PlanningConfig.parse(CollectionEvaluation.generatedConfig(300, true), "300");
    PlanningConfig large =
        PlanningConfig.parse(CollectionEvaluation.generatedConfig(2000, false), "2000");
    assertThat(small.rounds()).hasSize(1);
    assertThat(small.selection().onScheduleDays()).isTrue();
    assertThat(large.selection().onScheduleDays()).isFalse();
    assertThat(small.rounds().get(0).vehicles()).hasSize(2);
    assertThat(large.rounds().get(0).vehicles()).hasSize(14);
    PlanningConfig.Round round = large.rounds().get(0);
    assertThat(round.days()).containsExactlyInAnyOrder(DayOfWeek.values());
    assertThat(round.start()).isEqualTo(LocalTime.of(6, 0));
    assertThat(round.end()).isEqualTo(LocalTime.of(15, 0));
  }

  @Test
  void roundsByAreaVisitTheCentreDailyAndEachGroupOfNeighbouringWardsOnItsDays() {
    Town town = TownGenerator.generate(900, TownCentre.DEFAULT, 42);
    AreaRounds areas = AreaRounds.of(town, "mon,thu;tue,fri");
    Set<String> wards = town.assets().stream().map(Asset::ward).collect(Collectors.toSet());
    assertThat(areas.groups()).hasSize(2);
    assertThat(areas.groups().get(0)).hasSize((wards.size() - 1) / 2);
    Set<String> all = new HashSet<>(areas.groups().get(0));
    all.addAll(areas.groups().get(1));
    all.add(areas.centreWard());
    assertThat(all).as("every ward in exactly one area").isEqualTo(wards).hasSize(wards.size());
    PlanningConfig config = PlanningConfig.parse(areas.config(300, false), "areas");
    for (DayOfWeek day : DayOfWeek.values()) {
      List<PlanningConfig.Round> today =
          config.rounds().stream().filter(r -> r.days().contains(day)).toList();
      assertThat(today).as(day + ": one round").hasSize(1);
      assertThat(today.get(0).covers(areas.centreWard())).isTrue();
      boolean first = day == DayOfWeek.MONDAY || day == DayOfWeek.THURSDAY;
      assertThat(today.get(0).covers(areas.groups().get(0).get(0)))
          .as(day.toString())
          .isEqualTo(first);
    }
    assertThatThrownBy(() -> AreaRounds.of(town, "mon;tues;fry"))
        .hasMessageContaining("'fry' is not a weekday");
  }
}
