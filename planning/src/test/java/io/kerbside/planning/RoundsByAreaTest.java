package io.kerbside.planning;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.bins.FillPrediction;
import io.kerbside.planning.select.BinState;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rounds by area: a round empties only its wards' bins, and a bin can wait for its ward's round.
 */
class RoundsByAreaTest {
  // Monday 30 November 2026 (London is on UTC in winter); planned at 06:00
  private static final LocalDate MONDAY = LocalDate.parse("2026-11-30");
  private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");
  private static final CouncilRef COUNCIL = new CouncilRef(1, "default");

  private static final String VEHICLES =
      "zone: Europe/London\nsolver: {iterations: 20}\nvehicles:\n"
          + "  - {name: rcv-1, capacity_l: 20000, shift_start: \"06:00\", shift_end: \"16:00\","
          + " depot: {lat: 52.2053, lon: 0.1218}}\n"
          + "  - {name: rcv-2, capacity_l: 20000, shift_start: \"06:00\", shift_end: \"16:00\","
          + " depot: {lat: 52.2053, lon: 0.1218}}\n";
  private static final String ROUNDS =
      "rounds:\n"
          + "  - {name: north, days: [mon, thu], wards: [Arbury], start: \"07:00\", end: \"14:00\","
          + " vehicles: [rcv-1]}\n"
          + "  - {name: south, days: [tue, fri], wards: [Cherry Hinton], start: \"07:00\","
          + " end: \"14:00\", vehicles: [rcv-1]}\n"
          + "  - {name: centre, wards: [Market], start: \"07:00\", end: \"14:00\","
          + " vehicles: [rcv-2]}\n";

  private final PlanningConfig config = PlanningConfig.parse(VEHICLES + ROUNDS, "areas.yaml");
  private final CollectionPlanner planner =
      new CollectionPlanner(config, null, new PlanningMetrics(null), Clock.systemUTC());

  private static BinState bin(
      int pk, String ward, List<FillPrediction.Point> fill, Set<String> alerts) {
    return new BinState(
        pk,
        "BIN/" + pk,
        "bin " + pk,
        "Street",
        ward,
        52.2 + pk * 0.001,
        0.12,
        240,
        Set.of(),
        fill,
        alerts);
  }

  /**
   * 50 % at 06:00 rising 1 point an hour: 58 % when the round ends, 82 % a day later, 130 % by
   * Thursday.
   */
  private static List<FillPrediction.Point> halfFull() {
    return Towns.filling(NOW, 12, 30, 50, 1);
  }

  private List<String> planned(String round, List<BinState> bins) {
    return planner
        .plan(COUNCIL, bins, config.round(round).orElseThrow(), MONDAY, NOW, "test")
        .stops()
        .stream()
        .map(PlanStop::assetRef)
        .toList();
  }

  @Test
  void aRoundByAreaEmptiesOnlyTheBinsOfItsWards() {
    List<BinState> bins =
        List.of(
            bin(1, "Arbury", Towns.filling(NOW, 12, 30, 95, 1), Set.of()),
            bin(2, "Cherry Hinton", Towns.filling(NOW, 12, 30, 95, 1), Set.of("bin-full")),
            bin(3, "Market", Towns.filling(NOW, 12, 30, 95, 1), Set.of()),
            bin(4, null, Towns.filling(NOW, 12, 30, 95, 1), Set.of()));
    assertThat(planned("north", bins)).containsExactly("BIN/1");
    assertThat(planned("centre", bins)).containsExactly("BIN/3");
    assertThat(
            planner
                .plan(COUNCIL, bins, config.round("north").orElseThrow(), MONDAY, NOW, "t")
                .binsConsidered())
        .as("the round's bins")
        .isEqualTo(1);
  }

  @Test
  void aBinThatCannotWaitForItsWardsNextRoundIsTakenNow() {
    // the north round's next run is Thursday: 130 % by then, so Monday takes it; the centre's
    // next run is Tuesday: 82 % by then, so it waits
    assertThat(planned("north", List.of(bin(1, "Arbury", halfFull(), Set.of()))))
        .containsExactly("BIN/1");
    assertThat(planned("centre", List.of(bin(3, "Market", halfFull(), Set.of())))).isEmpty();
  }

  @Test
  void theNextVisitIsTheEarliestLaterRunOfAnyRoundCoveringTheWard() {
    PlanningConfig withExtra =
        PlanningConfig.parse(
            VEHICLES
                + ROUNDS
                + "  - {name: north-extra, days: [tue], wards: [Arbury], start: \"15:00\","
                + " end: \"18:00\", vehicles: [rcv-2]}\n",
            "areas.yaml");
    CollectionPlanner p =
        new CollectionPlanner(withExtra, null, new PlanningMetrics(null), Clock.systemUTC());
    PlanningConfig.Round north = withExtra.round("north").orElseThrow();
    assertThat(p.nextVisitEnd(COUNCIL, north, MONDAY, "Arbury"))
        .isEqualTo(Instant.parse("2026-12-01T18:00:00Z"));
    assertThat(config.round("north").map(r -> planner.nextVisitEnd(COUNCIL, r, MONDAY, "Arbury")))
        .contains(Instant.parse("2026-12-03T14:00:00Z"));
    // with the extra round on Tuesday the half-full bin can wait: 86 % by Tuesday 18:00
    assertThat(
            p.plan(
                    COUNCIL,
                    List.of(bin(1, "Arbury", halfFull(), Set.of())),
                    north,
                    MONDAY,
                    NOW,
                    "t")
                .stops())
        .isEmpty();
  }
}
