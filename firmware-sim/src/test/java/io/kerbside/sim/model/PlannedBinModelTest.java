package io.kerbside.sim.model;

import static io.kerbside.sim.model.TestAssets.LONDON;
import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.sim.ConditionType;
import io.kerbside.sim.PlannedCollections;
import io.kerbside.sim.plan.PlanFile;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.StreetType;
import io.kerbside.sim.weather.WeatherRegime;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bin whose collections come from plans: emptied at its ETAs, never on its fixed rounds. */
class PlannedBinModelTest {
  /** A Tuesday. */
  private static final Instant TUESDAY =
      LocalDateTime.parse("2026-03-10T00:00").atZone(LONDON).toInstant();

  private static final Asset BIN =
      TestAssets.bin(StreetType.HIGH_STREET, EnumSet.allOf(DayOfWeek.class), LocalTime.of(7, 0));

  private static BinModel model(PlannedCollections planned, double startPct) {
    return new BinModel(
        BIN,
        TestAssets.weather(WeatherRegime.NATURAL),
        new ModelSettings(startPct, startPct, 1, null, 0).withPlanned(planned),
        LONDON,
        TUESDAY,
        Seeds.stream(7, 1));
  }

  /** Every condition with its times and details. */
  private record Seen(
      ConditionType type, Instant from, Instant until, Map<String, Object> detail) {}

  private static List<Seen> run(BinModel model, Instant until) {
    List<Seen> seen = new ArrayList<>();
    ConditionSink sink =
        (type, asset, from, to, detail) -> seen.add(new Seen(type, from, to, detail));
    for (Instant t = TUESDAY.plus(BinModel.REPORT_INTERVAL);
        !t.isAfter(until);
        t = t.plus(BinModel.REPORT_INTERVAL)) {
      TestAssets.advance(model, t, sink);
    }
    model.finish(until, sink);
    return seen;
  }

  private static PlannedCollections plan(String assetRef, Instant eta) {
    PlannedCollections planned = new PlannedCollections("default");
    planned.add(
        new PlanFile(
            "test.csv",
            "default",
            LocalDate.of(2026, 3, 10),
            "daily",
            List.of(new PlanFile.Stop(assetRef, eta))));
    return planned;
  }

  @Test
  void aBinOnThePlanIsEmptiedAtItsEtaAndOnlyThen() {
    Instant eta = TUESDAY.plus(Duration.ofHours(10)).plusSeconds(7 * 60 + 30);
    BinModel model = model(plan(BIN.assetRef(), eta), 60);

    List<Seen> seen = run(model, TUESDAY.plus(Duration.ofHours(30)));

    List<Seen> collected =
        seen.stream().filter(s -> s.type() == ConditionType.BIN_COLLECTED).toList();
    assertThat(collected).hasSize(1);
    assertThat(collected.get(0).from()).isEqualTo(eta);
    assertThat((Double) collected.get(0).detail().get("fill_before_pct")).isGreaterThan(60);
    // its fixed round (daily at 07:00) never empties it
    assertThat(collected.get(0).from()).isNotEqualTo(TUESDAY.plus(Duration.ofHours(7)));
  }

  @Test
  void aBinNotOnThePlanKeepsFillingThroughItsFixedRoundsAndOverflows() {
    BinModel model = model(plan("MAR/BIN/09999", TUESDAY.plus(Duration.ofHours(9))), 60);

    List<Seen> seen = run(model, TUESDAY.plus(Duration.ofDays(2)));

    assertThat(seen).noneMatch(s -> s.type() == ConditionType.BIN_COLLECTED);
    assertThat(model.fillPct()).isEqualTo(100);
    List<Seen> overflowing =
        seen.stream().filter(s -> s.type() == ConditionType.BIN_OVERFLOWING).toList();
    assertThat(overflowing).hasSize(1);
    assertThat(overflowing.get(0).until()).isEqualTo(TUESDAY.plus(Duration.ofDays(2)));
    assertThat(overflowing.get(0).from()).isBefore(TUESDAY.plus(Duration.ofDays(2)));
    // a high street's rubbish keeps coming: far more than the bin holds
    assertThat((Double) overflowing.get(0).detail().get("peak_fill_pct")).isGreaterThan(120);
  }

  @Test
  void emptyingAnOverflowingBinEndsItsOverflowAtTheEta() {
    Instant eta = TUESDAY.plus(Duration.ofHours(34));
    BinModel model = model(plan(BIN.assetRef(), eta), 80);

    List<Seen> seen = run(model, TUESDAY.plus(Duration.ofHours(40)));

    List<Seen> overflowing =
        seen.stream().filter(s -> s.type() == ConditionType.BIN_OVERFLOWING).toList();
    assertThat(overflowing).hasSize(1);
    assertThat(overflowing.get(0).until()).isEqualTo(eta);
    assertThat(model.fillPct()).isLessThan(20);
  }

  @Test
  void aPlanAddedWhileTheBinRunsIsFollowed() {
    PlannedCollections planned = new PlannedCollections("default");
    BinModel model = model(planned, 30);
    List<Seen> seen = new ArrayList<>();
    ConditionSink sink =
        (type, asset, from, to, detail) -> seen.add(new Seen(type, from, to, detail));
    TestAssets.advance(model, TUESDAY.plus(Duration.ofHours(5)), sink);
    Instant eta = TUESDAY.plus(Duration.ofHours(8));
    planned.add(
        new PlanFile(
            "day.csv",
            "default",
            LocalDate.of(2026, 3, 10),
            "daily",
            List.of(new PlanFile.Stop(BIN.assetRef(), eta))));
    TestAssets.advance(model, TUESDAY.plus(Duration.ofHours(9)), sink);

    assertThat(seen)
        .filteredOn(s -> s.type() == ConditionType.BIN_COLLECTED)
        .extracting(Seen::from)
        .containsExactly(eta);
  }
}
