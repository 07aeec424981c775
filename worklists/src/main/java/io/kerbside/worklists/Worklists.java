package io.kerbside.worklists;

import io.kerbside.core.CouncilRef;
import io.kerbside.worklists.store.ActiveWindow;
import io.kerbside.worklists.store.SectionTemperature;
import io.kerbside.worklists.store.WorklistRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A council's day's work lists, from its alerts, assets and readings:
 *
 * <ul>
 *   <li>{@link #lamps lamps to visit}: active alerts of the lamp rules, grouped by street;
 *   <li>{@link #gritting tonight's gritting list}: pavement sections with an active {@code
 *       ice-risk} alert, and those whose surface is falling to freezing within the horizon, soonest
 *       and busiest first;
 *   <li>{@link #footways footway defects}: trip hazards and roughness, by category and due time.
 * </ul>
 *
 * Without a date, the lists hold what is active now; with a past date, what was active at any time
 * that day (in the configured zone), as of the end of that day. Blocking JDBC: call from a worker
 * thread. Thread-safe.
 */
public final class Worklists {
  /** The rules of lamps that need a visit (docs/rules.md). */
  public static final List<String> LAMP_RULES =
      List.of("lamp-failure", "lamp-cycling", "day-burner", "lamp-power-band");

  public static final String ICE_RISK = "ice-risk";
  public static final String TRIP_HAZARD = "trip-hazard";
  public static final String ROUGHNESS = "pavement-roughness";

  private final WorklistRepository repository;
  private final WorklistsConfig config;
  private final Clock clock;

  public Worklists(WorklistRepository repository, WorklistsConfig config, Clock clock) {
    this.repository = repository;
    this.config = config;
    this.clock = clock;
  }

  public WorklistsConfig config() {
    return config;
  }

  /** Today in the configured zone. */
  public LocalDate today() {
    return LocalDate.now(clock.withZone(config.zone()));
  }

  /** Why {@code date} cannot have a list, or empty when it can: a date after today has none yet. */
  public Optional<String> problemWith(LocalDate date) {
    return date.isAfter(today())
        ? Optional.of("date must not be after today (" + today() + ")")
        : Optional.empty();
  }

  /** The lamps to visit, by street. */
  public List<StreetLamps> lamps(
      CouncilRef council, Optional<String> ward, Optional<LocalDate> date) throws SQLException {
    Day day = day(date);
    Map<String, List<AlertItem>> byStreet = new LinkedHashMap<>();
    for (AlertItem a : repository.alerts(council, LAMP_RULES, ward, day.window())) {
      byStreet.computeIfAbsent(a.place().street(), s -> new ArrayList<>()).add(a);
    }
    List<StreetLamps> streets = new ArrayList<>();
    byStreet.forEach(
        (street, lamps) ->
            streets.add(new StreetLamps(street, lamps.get(0).place().ward(), lamps)));
    return streets;
  }

  /** Tonight's gritting list, soonest to freeze first, then busiest. */
  public List<GrittingSection> gritting(
      CouncilRef council, Optional<String> ward, Optional<LocalDate> date) throws SQLException {
    Day day = day(date);
    Map<Long, AlertItem> iceByAsset = new HashMap<>();
    for (AlertItem a : repository.alerts(council, List.of(ICE_RISK), ward, day.window())) {
      iceByAsset.putIfAbsent(a.place().assetId(), a);
    }
    Instant from = day.asOf().minus(Duration.ofHours(config.grittingTrendHours()));
    List<GrittingSection> list = new ArrayList<>();
    for (SectionTemperature s : repository.sections(council, ward, from, day.asOf())) {
      AlertItem ice = iceByAsset.get(s.place().assetId());
      double hours =
          FreezingForecast.hoursToFreezing(
              s.latestC(), s.slopeCPerHour(), s.points(), config.freezingSurfaceTempC());
      if (ice != null) {
        double byAlert =
            ice.predictedAt() == null
                ? 0
                : Math.max(0, Duration.between(day.asOf(), ice.predictedAt()).toSeconds() / 3600.0);
        hours = Math.min(hours, byAlert);
      } else if (hours > config.grittingHorizonHours()) {
        continue;
      }
      list.add(
          new GrittingSection(
              s.place(),
              ice,
              s.latestC(),
              s.points() >= FreezingForecast.MIN_POINTS ? s.slopeCPerHour() : null,
              Math.round(hours * 10) / 10.0,
              Footfall.of(s.pavementUse(), s.streetType()),
              s.pavementUse()));
    }
    list.sort(
        Comparator.comparingDouble(GrittingSection::hoursToFreezing)
            .thenComparing(GrittingSection::footfall)
            .thenComparing(g -> g.place().street())
            .thenComparing(g -> g.place().assetRef()));
    return list;
  }

  /** The footway defects, by category (most urgent first), then by due time. */
  public List<FootwayDefect> footways(
      CouncilRef council, Optional<String> ward, Optional<LocalDate> date) throws SQLException {
    Day day = day(date);
    List<FootwayDefect> list = new ArrayList<>();
    for (AlertItem a :
        repository.alerts(council, List.of(TRIP_HAZARD, ROUGHNESS), ward, day.window())) {
      Double crack = null;
      if (TRIP_HAZARD.equals(a.rule())) {
        crack =
            a.value() == null
                ? a.peakValue()
                : a.peakValue() == null ? a.value() : Math.max(a.value(), a.peakValue());
      }
      FootwayCategory category = FootwayCategory.of(a.rule(), crack, config);
      Instant due = a.since().plus(Duration.ofHours(category.responseHours(config)));
      list.add(new FootwayDefect(a, category, crack, due, due.isBefore(day.asOf())));
    }
    list.sort(
        Comparator.comparing(FootwayDefect::category)
            .thenComparing(FootwayDefect::respondBy)
            .thenComparing(d -> d.alert().id()));
    return list;
  }

  /** The day a list is for: its window of alerts and the time it is computed as of. */
  private record Day(ActiveWindow window, Instant asOf) {}

  private Day day(Optional<LocalDate> date) {
    Instant now = clock.instant();
    if (date.isEmpty() || !date.get().isBefore(today())) {
      return new Day(new ActiveWindow(true, now, now), now);
    }
    Instant start = date.get().atStartOfDay(config.zone()).toInstant();
    Instant end = date.get().plusDays(1).atStartOfDay(config.zone()).toInstant();
    return new Day(new ActiveWindow(false, start, end), end);
  }
}
