package io.kerbside.sim;

import io.kerbside.sim.plan.PlanApiException;
import io.kerbside.sim.plan.PlanFile;
import io.kerbside.sim.plan.PlanFileException;
import io.kerbside.sim.plan.PlansApiClient;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Takes a run's collections from Kerbside's plans API, a day at a time: at {@code plansAt} (local
 * time in the town's zone) of each simulated day, the run pauses, the day's plans (every round of
 * the date) are fetched and added to the run's {@link PlannedCollections}, and the bins on them are
 * emptied at their stops' ETAs. When the run starts after {@code plansAt}, its first day's plans
 * are fetched at the start.
 *
 * <p>Nothing falls back to the fixed rounds: a failed fetch ({@link PlanApiException}) or a plan
 * the collections refuse (another council's, a bin the town has not: {@link PlanFileException})
 * ends the run with that exception, out of {@link Simulation#run}. Used on the simulation's thread.
 */
public final class DailyPlanFetch implements Checkpoints {
  private final PlansApiClient api;
  private final PlannedCollections collections;
  private final ZoneId zone;
  private final List<Instant> instants;
  private final Consumer<String> notes;

  /**
   * @param api where the plans are
   * @param collections the run's collections ({@link SimConfig#collections()}), which check each
   *     plan's council and bins
   * @param plansAt the local time of day at which each day's plans are fetched, before its rounds
   * @param zone the town's time zone
   * @param start the run's simulated start
   * @param end the run's simulated end
   * @param notes told, for each fetch, what came back (one line, no credentials)
   */
  public DailyPlanFetch(
      PlansApiClient api,
      PlannedCollections collections,
      LocalTime plansAt,
      ZoneId zone,
      Instant start,
      Instant end,
      Consumer<String> notes) {
    this.api = Objects.requireNonNull(api, "api");
    this.collections = Objects.requireNonNull(collections, "collections");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.notes = Objects.requireNonNull(notes, "notes");
    this.instants = instants(plansAt, zone, start, end);
  }

  /** Each local day's {@code plansAt} within [start, end), the start itself when it is later. */
  static List<Instant> instants(LocalTime plansAt, ZoneId zone, Instant start, Instant end) {
    List<Instant> out = new ArrayList<>();
    LocalDate day = start.atZone(zone).toLocalDate();
    while (true) {
      Instant at = day.atTime(plansAt).atZone(zone).toInstant();
      if (!at.isBefore(end)) {
        break;
      }
      if (at.isBefore(start)) {
        if (out.isEmpty()) {
          out.add(start);
        }
      } else {
        out.add(at);
      }
      day = day.plusDays(1);
    }
    return List.copyOf(out);
  }

  @Override
  public List<Instant> instants() {
    return instants;
  }

  @Override
  public void reached(Instant at, long readings) throws InterruptedException {
    LocalDate date = at.atZone(zone).toLocalDate();
    List<PlanFile> plans = api.fetch(date);
    int stops = 0;
    int late = 0;
    StringJoiner rounds = new StringJoiner(", ");
    for (PlanFile plan : plans) {
      collections.add(plan);
      rounds.add(plan.round());
      for (PlanFile.Stop s : plan.stops()) {
        if (s.eta() != null) {
          stops++;
          if (!s.eta().isAfter(at)) {
            late++;
          }
        }
      }
    }
    String note =
        String.format(
            Locale.ROOT,
            "collections of %s from %s: %d plan%s%s, %d stop%s with an ETA",
            date,
            api.plansUrl(date),
            plans.size(),
            plans.size() == 1 ? "" : "s",
            plans.isEmpty() ? "" : " (" + rounds + ")",
            stops,
            stops == 1 ? "" : "s");
    if (late > 0) {
      note +=
          "; "
              + late
              + " of them at or before "
              + at
              + ", when the plans were fetched: bins may have passed them (are the plans fetched"
              + " after the rounds start?)";
    }
    notes.accept(note);
  }
}
