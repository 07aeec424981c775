package io.kerbside.planning.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.core.bins.FillPrediction;
import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.Reason;
import io.kerbside.planning.Towns;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BinSelectionTest {
  // Monday 30 November 2026; planning at 06:00, the round ends at 14:00, next at 14:00 Tuesday
  private static final LocalDate DATE = LocalDate.parse("2026-11-30");
  private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");
  private static final Instant ROUND_END = Instant.parse("2026-11-30T14:00:00Z");
  private static final Instant NEXT_END = Instant.parse("2026-12-01T14:00:00Z");

  private final PlanningConfig config = Towns.config(1, 10_000, "07:00", "14:00");
  private final BinSelection selection = new BinSelection(config.selection());

  private static BinState bin(
      List<FillPrediction.Point> fill, Set<DayOfWeek> days, Set<String> alerts) {
    return new BinState(1, "BIN/1", "b", "High St", "Market", 52.2, 0.12, 240, days, fill, alerts);
  }

  private List<SelectedBin> select(BinState b) {
    return selection.select(List.of(b), DATE, ROUND_END, NEXT_END, NOW);
  }

  @Test
  void selectsABinPredictedToReachTheThresholdByTheRoundsEnd() {
    // 60 % now, 2.5 points an hour: 80 % at 14:00
    List<SelectedBin> s = select(bin(Towns.filling(NOW, 12, 30, 60, 2.5), Set.of(), Set.of()));
    assertThat(s).hasSize(1);
    assertThat(s.get(0).reasons()).containsExactly(Reason.PREDICTED_FILL);
    assertThat(s.get(0).predictedFillPct()).isCloseTo(80, within(0.01));
    assertThat(s.get(0).litres()).isCloseTo(240 * 0.8, within(0.1));
  }

  @Test
  void leavesABinThatStaysBelowTheThresholdAndWillNotOverflow() {
    assertThat(select(bin(Towns.filling(NOW, 12, 30, 40, 1), Set.of(), Set.of()))).isEmpty();
  }

  @Test
  void selectsABinThatWouldOverflowBeforeTheNextRound() {
    // 50 % now, 1.8 points an hour: 64 % at the round's end, over 100 % by Tuesday 14:00
    List<SelectedBin> s = select(bin(Towns.filling(NOW, 12, 30, 50, 1.8), Set.of(), Set.of()));
    assertThat(s)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.reasons()).containsExactly(Reason.OVERFLOW_BEFORE_NEXT_ROUND);
              assertThat(b.predictedFillPct()).isCloseTo(64.4, within(0.01));
            });
  }

  @Test
  void selectsABinWithAnOpenBinFullOrNotCollectedAlertWhateverItsPrediction() {
    List<FillPrediction.Point> low = Towns.filling(NOW, 12, 30, 10, 0.1);
    assertThat(select(bin(low, Set.of(), Set.of("bin-full"))))
        .singleElement()
        .satisfies(b -> assertThat(b.reasons()).containsExactly(Reason.ALERT));
    assertThat(select(bin(low, Set.of(), Set.of("bin-not-collected")))).hasSize(1);
    assertThat(select(bin(low, Set.of(), Set.of("bin-predicted-full", "battery-low"))))
        .as("other alerts do not put a bin on the plan")
        .isEmpty();
    List<FillPrediction.Point> full = Towns.filling(NOW, 12, 30, 95, 1);
    assertThat(select(bin(full, Set.of(), Set.of("bin-full"))))
        .singleElement()
        .satisfies(
            b -> assertThat(b.reasons()).containsExactly(Reason.PREDICTED_FILL, Reason.ALERT));
  }

  @Test
  void aSilentSensorFallsBackToTheFixedSchedule() {
    // the last reading 20 hours ago (silent after 12 h), 95 % full then: not trusted
    List<FillPrediction.Point> old = Towns.filling(NOW.minus(Duration.ofHours(20)), 12, 30, 95, 2);
    assertThat(select(bin(old, Set.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY), Set.of())))
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.reasons()).containsExactly(Reason.SCHEDULE);
              assertThat(b.predictedFillPct()).isNaN();
              assertThat(b.litres()).as("a bin of unknown fill is planned as full").isEqualTo(240);
            });
    assertThat(select(bin(old, Set.of(DayOfWeek.TUESDAY), Set.of()))).as("not its day").isEmpty();
    assertThat(select(bin(List.of(), Set.of(DayOfWeek.MONDAY), Set.of())))
        .as("a bin that never reported")
        .singleElement()
        .satisfies(b -> assertThat(b.reasons()).containsExactly(Reason.SCHEDULE));
  }

  @Test
  void aReportingSensorOverridesTheFixedSchedule() {
    assertThat(select(bin(Towns.filling(NOW, 12, 30, 20, 0.5), Set.of(DayOfWeek.MONDAY), Set.of())))
        .as("a bin 20 % full is not emptied because it is Monday")
        .isEmpty();
  }

  @Test
  void anEmptyingResetsTheRate() {
    // filling fast to 90 %, emptied an hour ago, refilling slowly
    List<FillPrediction.Point> fill =
        new java.util.ArrayList<>(Towns.filling(NOW.minus(Duration.ofHours(3)), 10, 30, 90, 8));
    fill.addAll(Towns.filling(NOW, 2.5, 30, 6.25, 0.5));
    assertThat(select(bin(fill, Set.of(), Set.of()))).isEmpty();
  }

  @Test
  void tooFewReadingsSinceTheEmptyingKeepTheLatestFill() {
    List<FillPrediction.Point> fill =
        new java.util.ArrayList<>(Towns.filling(NOW.minus(Duration.ofHours(2)), 10, 30, 90, 8));
    fill.add(new FillPrediction.Point(NOW.minus(Duration.ofMinutes(30)), 5));
    fill.add(new FillPrediction.Point(NOW, 30));
    List<SelectedBin> s = select(bin(fill, Set.of(), Set.of()));
    assertThat(s).isEmpty();
  }

  @Test
  void aBinOfUnknownCapacityUsesTheDefault() {
    BinState b =
        new BinState(
            1,
            "BIN/1",
            "b",
            null,
            null,
            52.2,
            0.12,
            null,
            Set.of(),
            Towns.filling(NOW, 12, 30, 100, 1),
            Set.of());
    assertThat(select(b)).singleElement().satisfies(x -> assertThat(x.litres()).isEqualTo(240.0));
  }

  /** Selection with {@code on_schedule_days}, round ends at 14:00 UTC. */
  private static List<SelectedBin> onScheduleDays(BinState b) {
    PlanningConfig.Selection keep = new PlanningConfig.Selection(80, 12, 72, 20, 4, 2, 240, true);
    return new BinSelection(keep)
        .select(
            List.of(b),
            DATE,
            ROUND_END,
            NEXT_END,
            NOW,
            d -> d.atTime(java.time.LocalTime.of(14, 0)).toInstant(java.time.ZoneOffset.UTC));
  }

  @Test
  void onScheduleDaysABinOnItsDayIsEmptiedWhenItCouldNotWaitForItsNextScheduledDay() {
    // Monday and Thursday; 60 % now, 0.6 points an hour: 65 % at the round's end, 79 % on Tuesday
    // (not emptied without the setting) but 108 % by Thursday 14:00
    BinState b =
        bin(
            Towns.filling(NOW, 12, 30, 60, 0.6),
            Set.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
            Set.of());
    assertThat(select(b)).isEmpty();
    assertThat(onScheduleDays(b))
        .singleElement()
        .satisfies(s -> assertThat(s.reasons()).containsExactly(Reason.OVERFLOW_BEFORE_NEXT_ROUND));
    // 0.4 points an hour: 92 % by Thursday, so it waits for Thursday
    BinState slower =
        bin(
            Towns.filling(NOW, 12, 30, 60, 0.4),
            Set.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
            Set.of());
    assertThat(onScheduleDays(slower)).isEmpty();
  }

  @Test
  void onScheduleDaysABinOffItsDayIsEmptiedOnlyWhenItCouldNotWaitForTheNextRun() {
    // Tuesdays; 78 % now, 0.3 points an hour: 80 % at the round's end but 88 % on Tuesday
    BinState canWait =
        bin(Towns.filling(NOW, 12, 30, 78, 0.3), Set.of(DayOfWeek.TUESDAY), Set.of());
    assertThat(select(canWait)).hasSize(1);
    assertThat(onScheduleDays(canWait)).isEmpty();
    // 1.0 point an hour: 107 % by Tuesday 14:00
    BinState cannotWait =
        bin(Towns.filling(NOW, 12, 30, 75, 1.0), Set.of(DayOfWeek.TUESDAY), Set.of());
    assertThat(onScheduleDays(cannotWait))
        .singleElement()
        .satisfies(s -> assertThat(s.reasons()).containsExactly(Reason.OVERFLOW_BEFORE_NEXT_ROUND));
  }

  @Test
  void onScheduleDaysABinWithoutAScheduleIsSelectedAsAlways() {
    BinState b = bin(Towns.filling(NOW, 12, 30, 60, 2.5), Set.of(), Set.of());
    assertThat(onScheduleDays(b))
        .singleElement()
        .satisfies(s -> assertThat(s.reasons()).containsExactly(Reason.PREDICTED_FILL));
  }
}
