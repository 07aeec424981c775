package io.kerbside.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.planning.PlanningConfig;
import java.time.DayOfWeek;
import java.time.LocalTime;
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
}
