package io.kerbside.sim.scenario;

import io.kerbside.sim.FaultType;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.TownCentre;
import io.kerbside.sim.model.ModelSettings;
import io.kerbside.sim.weather.WeatherRegime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What a {@link Scenario} sets up: the weather, the device faults, the delivery faults, the bins'
 * starting state and collections, and its default start.
 *
 * @param scenario which one
 * @param weather the weather regime
 * @param deviceFaults device faults to plan
 * @param delivery delivery fault rates
 */
public record ScenarioSpec(
    Scenario scenario, WeatherRegime weather, List<FaultMix> deviceFaults, DeliveryRates delivery) {
  private static final LocalTime WINTER_EVENING = LocalTime.of(16, 0);
  private static final LocalTime BEFORE_ROUNDS = LocalTime.of(5, 0);

  /** Collection rounds end by mid-afternoon; a later start is collected the next day. */
  private static final LocalTime ROUNDS_END = LocalTime.of(14, 0);

  public ScenarioSpec {
    deviceFaults = List.copyOf(deviceFaults);
  }

  /** The specification of {@code scenario}. */
  public static ScenarioSpec of(Scenario scenario) {
    return switch (scenario) {
      case QUIET_DAY, BENCHMARK ->
          new ScenarioSpec(scenario, WeatherRegime.MILD_DRY, List.of(), DeliveryRates.NONE);
      case WINTER_NIGHT ->
          new ScenarioSpec(
              scenario,
              WeatherRegime.WINTER_COLD_SNAP,
              List.of(
                  FaultMix.of(FaultType.LAMP_FAILURE, 0.03, 120, 16 * 60),
                  FaultMix.of(FaultType.PAVEMENT_FREEZING, 0.05, 60, 240),
                  FaultMix.of(FaultType.LOW_BATTERY, 0.02, 120, 480)),
              DeliveryRates.NONE);
      case COLLECTION_DAY ->
          new ScenarioSpec(
              scenario,
              WeatherRegime.NATURAL,
              List.of(FaultMix.of(FaultType.BIN_KNOCKED_OVER, 0.02, 60, 240)),
              DeliveryRates.NONE);
      case CHAOS ->
          new ScenarioSpec(
              scenario,
              WeatherRegime.NATURAL,
              List.of(
                  FaultMix.of(FaultType.OFFLINE, 0.05, 20, 60),
                  FaultMix.of(FaultType.STUCK_VALUE, 0.05, 30, 90),
                  FaultMix.of(FaultType.DRIFT, 0.05, 60, 120),
                  FaultMix.of(FaultType.IMPOSSIBLE_SPIKE, 0.10, 0, 0),
                  FaultMix.of(FaultType.LOW_BATTERY, 0.05, 30, 120),
                  FaultMix.of(FaultType.BIN_FIRE, 0.03, 30, 60),
                  FaultMix.of(FaultType.BIN_KNOCKED_OVER, 0.03, 20, 60),
                  FaultMix.of(FaultType.LAMP_FAILURE, 0.05, 30, 120),
                  FaultMix.of(FaultType.DAY_BURNER, 0.05, 30, 120),
                  FaultMix.of(FaultType.CYCLING_LAMP, 0.05, 30, 120),
                  FaultMix.of(FaultType.PAVEMENT_FREEZING, 0.05, 60, 120)),
              new DeliveryRates(0.05, 0.04, 0.03, 0.04, 0.01, 10, 40));
      // its faults are planned on a schedule (MultiDayPlan), not drawn
      case MULTI_DAY, COLLECTION_WEEK ->
          new ScenarioSpec(scenario, WeatherRegime.NATURAL, List.of(), DeliveryRates.NONE);
    };
  }

  /** The device models' settings for a run starting at {@code start}. */
  public ModelSettings modelSettings(Instant start, ZoneId zone) {
    return switch (scenario) {
      case QUIET_DAY, BENCHMARK -> new ModelSettings(5, 40, 0.7, null, 0);
      case WINTER_NIGHT -> new ModelSettings(10, 60, 1, null, 2);
      case COLLECTION_DAY -> new ModelSettings(40, 85, 1, collectionDay(start, zone), 1);
      case CHAOS -> ModelSettings.natural();
      // natural bins; the one pothole is planned
      case MULTI_DAY -> new ModelSettings(5, 60, 1, null, 0);
      // natural bins and rounds, no potholes: only the bins matter
      case COLLECTION_WEEK -> new ModelSettings(5, 60, 1, null, 0);
    };
  }

  /** The local date the {@code collection-day} rounds run: the start's, or the next day's. */
  static LocalDate collectionDay(Instant start, ZoneId zone) {
    ZonedDateTime local = start.atZone(zone);
    return local.toLocalTime().isBefore(ROUNDS_END)
        ? local.toLocalDate()
        : local.toLocalDate().plusDays(1);
  }

  /**
   * The latest start at which a run of {@code duration} at {@code speed} never stamps a reading
   * later than the wall clock that sends it (so Kerbside accepts every honest reading), moved back
   * to the moment the scenario wants: 16:00 on a winter day (December to February, or June to
   * August south of the equator) for {@code winter-night}, 05:00 (before the rounds) for {@code
   * collection-day} and {@code collection-week}, the minute for the others.
   *
   * @param now the wall clock
   * @param speed simulated seconds per real second, 0 = as fast as possible
   */
  public Instant defaultStart(Instant now, Duration duration, double speed, TownCentre centre) {
    ZoneId zone = centre.zone();
    double ahead = speed == 0 ? 1 : Math.max(0, 1 - 1 / speed);
    Instant latest = now.minusMillis((long) (duration.toMillis() * ahead));
    latest = latest.truncatedTo(ChronoUnit.MINUTES);
    return switch (scenario) {
      case WINTER_NIGHT -> latestAt(latest, zone, WINTER_EVENING, centre.latitude() >= 0 ? 1 : -1);
      case COLLECTION_DAY, COLLECTION_WEEK -> latestAt(latest, zone, BEFORE_ROUNDS, 0);
      default -> latest;
    };
  }

  /**
   * @param hemisphere 1 for a northern winter day, -1 for a southern one, 0 for any day
   */
  private static Instant latestAt(Instant latest, ZoneId zone, LocalTime time, int hemisphere) {
    LocalDate date = latest.atZone(zone).toLocalDate();
    for (int i = 0; i < 400; i++) {
      LocalDate d = date.minusDays(i);
      Instant candidate = d.atTime(time).atZone(zone).toInstant();
      if (!candidate.isAfter(latest) && (hemisphere == 0 || isWinter(d.getMonth(), hemisphere))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no suitable start in the last 400 days before " + latest);
  }

  private static boolean isWinter(Month m, int hemisphere) {
    return hemisphere > 0
        ? m == Month.DECEMBER || m == Month.JANUARY || m == Month.FEBRUARY
        : m == Month.JUNE || m == Month.JULY || m == Month.AUGUST;
  }
}
