package io.kerbside.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.Secret;
import io.kerbside.sim.plan.PlanApiException;
import io.kerbside.sim.plan.PlanFileException;
import io.kerbside.sim.plan.PlansApiClient;
import io.kerbside.sim.plan.PlansApiStub;
import io.kerbside.sim.town.Asset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A simulation whose collections come from a plans API (a local stand-in): each day's plans are
 * fetched at the configured time and only their bins are emptied; a failed fetch or a wrong plan
 * ends the run.
 */
class DailyPlanFetchTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-20T12:00:00Z"), ZoneOffset.UTC);

  /** Monday 2026-01-12, 04:00 in London (GMT). */
  private static final Instant MONDAY_4AM = Instant.parse("2026-01-12T04:00:00Z");

  private static SimConfig config(PlannedCollections planned) {
    return SimConfig.builder()
        .devices(100)
        .binsOnly(true)
        .scenario(Scenario.COLLECTION_WEEK)
        .speed(0)
        .start(MONDAY_4AM)
        .duration(Duration.ofHours(48))
        .collections(planned)
        .build();
  }

  private static String plans(String council, String date, String... stops) {
    return "{\"date\":\""
        + date
        + "\",\"planning_configured\":true,\"plans\":[{\"id\":1,\"council\":\""
        + council
        + "\",\"date\":\""
        + date
        + "\",\"round\":\"daily\",\"stops\":["
        + String.join(",", stops)
        + "]}]}";
  }

  private static String stop(Asset bin, String eta) {
    return "{\"asset\":{\"ref\":\""
        + bin.assetRef()
        + "\"},\"eta\":"
        + (eta == null ? "null" : "\"" + eta + "\"")
        + "}";
  }

  @Test
  void fetchesEachDayAtItsTimeOrAtTheStartWhenTheRunStartsLater() {
    Instant end = MONDAY_4AM.plus(Duration.ofHours(48));
    assertThat(DailyPlanFetch.instants(LocalTime.of(5, 0), LONDON, MONDAY_4AM, end))
        .containsExactly(
            Instant.parse("2026-01-12T05:00:00Z"), Instant.parse("2026-01-13T05:00:00Z"));
    Instant nineAm = Instant.parse("2026-01-12T09:00:00Z");
    assertThat(DailyPlanFetch.instants(LocalTime.of(5, 0), LONDON, nineAm, end))
        .containsExactly(nineAm, Instant.parse("2026-01-13T05:00:00Z"));
    // summer time: 05:00 in London is 04:00 UTC
    Instant july = Instant.parse("2026-07-06T00:00:00Z");
    assertThat(DailyPlanFetch.instants(LocalTime.of(5, 0), LONDON, july, july.plusSeconds(86_400)))
        .containsExactly(Instant.parse("2026-07-06T04:00:00Z"));
  }

  @Test
  void emptiesExactlyThePlannedBinsAtTheirEtas() throws Exception {
    PlannedCollections planned = new PlannedCollections("default");
    SimConfig config = config(planned);
    Simulation sim = Simulation.create(config, CLOCK);
    Asset first = sim.town().asset(0);
    Asset second = sim.town().asset(1);
    Asset unassigned = sim.town().asset(2);
    Map<String, String> byDate = new ConcurrentHashMap<>();
    byDate.put(
        "date=2026-01-12",
        plans(
            "default", "2026-01-12", stop(first, "2026-01-12T07:35:00Z"), stop(unassigned, null)));
    byDate.put(
        "date=2026-01-13", plans("default", "2026-01-13", stop(second, "2026-01-13T08:20:00Z")));
    List<String> notes = new ArrayList<>();
    try (PlansApiStub api = PlansApiStub.start(q -> new PlansApiStub.Answer(200, byDate.get(q)))) {
      DailyPlanFetch fetch = fetchAt5(api, planned, sim, notes::add);
      SimReport report = sim.run(ProgressListener.none(), new RecordingSink(), fetch);

      assertThat(api.requests)
          .extracting(PlansApiStub.Request::query)
          .containsExactly("date=2026-01-12", "date=2026-01-13");
      assertThat(notes).hasSize(2);
      assertThat(notes.get(0))
          .isEqualTo(
              "collections of 2026-01-12 from "
                  + api.url()
                  + "/api/v1/plans/collections?date=2026-01-12: 1 plan (daily), 1 stop with an"
                  + " ETA");
      // the fixed rounds (daily on high streets) emptied nothing: only the two planned stops
      assertThat(report.conditions()).containsEntry(ConditionType.BIN_COLLECTED, 2);
      assertThat(planned.nextAfter(first.assetRef(), MONDAY_4AM))
          .isEqualTo(Instant.parse("2026-01-12T07:35:00Z"));
      assertThat(planned.nextAfter(second.assetRef(), MONDAY_4AM))
          .isEqualTo(Instant.parse("2026-01-13T08:20:00Z"));
    }
  }

  @Test
  void anotherCouncilsPlanEndsTheRun() throws Exception {
    PlannedCollections planned = new PlannedCollections("default");
    Simulation sim = Simulation.create(config(planned), CLOCK);
    String answer =
        plans("other-town", "2026-01-12", stop(sim.town().asset(0), "2026-01-12T07:35:00Z"));
    try (PlansApiStub api = PlansApiStub.start(q -> new PlansApiStub.Answer(200, answer))) {
      DailyPlanFetch fetch = fetchAt5(api, planned, sim, n -> {});
      assertThatThrownBy(() -> sim.run(ProgressListener.none(), new RecordingSink(), fetch))
          .isInstanceOf(PlanFileException.class)
          .hasMessageContaining("a plan of council 'other-town', not of 'default'; refusing it");
    }
  }

  @Test
  void aBinTheTownHasNotEndsTheRun() throws Exception {
    PlannedCollections planned = new PlannedCollections("default");
    Simulation sim = Simulation.create(config(planned), CLOCK);
    String answer =
        plans(
            "default",
            "2026-01-12",
            "{\"asset\":{\"ref\":\"XYZ/BIN/1\"},\"eta\":\"2026-01-12T07:00:00Z\"}");
    try (PlansApiStub api = PlansApiStub.start(q -> new PlansApiStub.Answer(200, answer))) {
      DailyPlanFetch fetch = fetchAt5(api, planned, sim, n -> {});
      assertThatThrownBy(() -> sim.run(ProgressListener.none(), new RecordingSink(), fetch))
          .isInstanceOf(PlanFileException.class)
          .hasMessageContaining("1 bin(s) this town does not have, e.g. XYZ/BIN/1");
    }
  }

  @Test
  void aFailedFetchEndsTheRunInsteadOfFallingBackToTheFixedRounds() throws Exception {
    PlannedCollections planned = new PlannedCollections("default");
    Simulation sim = Simulation.create(config(planned), CLOCK);
    RecordingSink sink = new RecordingSink();
    try (PlansApiStub api =
        PlansApiStub.start(q -> new PlansApiStub.Answer(500, "{\"error\":\"internal\"}"))) {
      DailyPlanFetch fetch = fetchAt5(api, planned, sim, n -> {});
      assertThatThrownBy(() -> sim.run(ProgressListener.none(), sink, fetch))
          .isInstanceOf(PlanApiException.class)
          .hasMessageContaining("?date=2026-01-12: 500 server error");
      assertThat(sink.closed).isTrue();
      // an hour of 35 bins before the first fetch, nothing after it
      assertThat(sink.messages).hasSize(35 * 4);
    }
  }

  /** Fetches each day's plans from {@code api} at 05:00 London time over the run of {@code sim}. */
  private static DailyPlanFetch fetchAt5(
      PlansApiStub api,
      PlannedCollections planned,
      Simulation sim,
      java.util.function.Consumer<String> notes) {
    return new DailyPlanFetch(
        new PlansApiClient(api.url(), Secret.of("k"), Duration.ofSeconds(10)),
        planned,
        LocalTime.of(5, 0),
        LONDON,
        sim.start(),
        sim.end(),
        notes);
  }
}
