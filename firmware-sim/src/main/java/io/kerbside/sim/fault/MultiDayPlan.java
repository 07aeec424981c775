package io.kerbside.sim.fault;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.model.Plants;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.BinDetails;
import io.kerbside.sim.town.DimmingProfile;
import io.kerbside.sim.town.Town;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The schedule of the {@code multi-day} scenario: one planned fault or condition for each of
 * Kerbside's rules, each on a device of its own, at a time of day when it can be seen (a failed
 * lamp at night, a day-burner by day), and the rule that must catch it. Times are local to the
 * town: "day 1 at 01:00" is the night after the first midnight of the run; the bin the rounds miss
 * counts from the start. Which devices is drawn from the seed; the same seed, town and start give
 * the same plan.
 *
 * <p>It needs 5 bins, 5 streetlights (one dimming part-night) and 4 pavements (a town of 30 devices
 * has them) and a run of 4 days; an item that finds no device, or falls outside the run, is left
 * out.
 *
 * @param faults the planned faults, ordered by start
 * @param plants what is set up in the models: the missed bin and the pothole
 * @param expectations what each rule must catch
 */
public record MultiDayPlan(
    List<PlannedFault> faults, Plants plants, List<RuleExpectation> expectations) {
  /** How full the missed bin starts: 70 % after a day, full after 40 h, when filling 1.25 %/h. */
  static final double MISSED_BIN_START_PCT = 40;

  public MultiDayPlan {
    faults = List.copyOf(faults);
    expectations = List.copyOf(expectations);
  }

  /** The plan for a run of {@code town} from {@code start} to {@code end}. */
  public static MultiDayPlan of(Town town, Instant start, Instant end, ZoneId zone, long seed) {
    return new Builder(town, start, end, zone, seed).build();
  }

  private static final class Builder {
    private final Town town;
    private final Instant start;
    private final Instant end;
    private final ZoneId zone;
    private final LocalDate firstDay;
    private final Map<DeviceKind, List<Integer>> free = new EnumMap<>(DeviceKind.class);
    private final List<PlannedFault> faults = new ArrayList<>();
    private final List<RuleExpectation> expectations = new ArrayList<>();
    private final Map<Integer, Plants.MissedBin> missedBins = new HashMap<>();
    private final Map<Integer, Instant> potholes = new HashMap<>();

    Builder(Town town, Instant start, Instant end, ZoneId zone, long seed) {
      this.town = town;
      this.start = start;
      this.end = end;
      this.zone = zone;
      this.firstDay = start.atZone(zone).toLocalDate();
      SplittableRandom rng = Seeds.stream(seed, Seeds.FAULT_PLAN);
      for (DeviceKind kind : DeviceKind.values()) {
        List<Integer> devices = new ArrayList<>();
        for (Asset a : town.assets()) {
          if (a.kind() == kind) {
            devices.add(a.index());
          }
        }
        for (int i = devices.size() - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          devices.set(i, devices.set(j, devices.get(i)));
        }
        free.put(kind, devices);
      }
    }

    MultiDayPlan build() {
      missedBin();
      // bins
      fault(DeviceKind.BIN, FaultType.BIN_KNOCKED_OVER, at(1, 9, 0), hours(3), "bin-knocked-over");
      fault(DeviceKind.BIN, FaultType.LOW_BATTERY, at(1, 6, 0), hours(8), "battery-low");
      fault(DeviceKind.BIN, FaultType.BIN_FIRE, at(2, 14, 0), hours(1), "bin-fire");
      stuck(DeviceKind.BIN, Metric.TEMP_C, a -> true, at(2, 20, 0), hours(10), "stuck-sensor");
      // streetlights: failures at night, the day-burner by day
      fault(DeviceKind.STREETLIGHT, FaultType.LAMP_FAILURE, at(2, 1, 0), hours(3), "lamp-failure");
      fault(DeviceKind.STREETLIGHT, FaultType.DAY_BURNER, at(2, 11, 0), hours(3), "day-burner");
      fault(DeviceKind.STREETLIGHT, FaultType.CYCLING_LAMP, at(3, 0, 30), hours(3), "lamp-cycling");
      // a power meter stuck at 75 % output reads out of band once the lamp dims to 50 % at midnight
      stuck(
          DeviceKind.STREETLIGHT,
          Metric.POWER_W,
          a -> a.streetlight().dimming() == DimmingProfile.PART_NIGHT,
          at(1, 23, 30),
          hours(4),
          "lamp-power-band");
      // the supply voltage reads lower and lower: below any the mains gives after about 5 h
      drift(DeviceKind.STREETLIGHT, Metric.VOLTAGE_V, -10, at(1, 9, 0), hours(8));
      // pavements
      fault(DeviceKind.PAVEMENT, FaultType.OFFLINE, at(1, 13, 0), hours(3), "device-offline");
      fault(
          DeviceKind.PAVEMENT, FaultType.FRAME_LOSS, at(2, 0, 0), hours(12), "frame-counter-gaps");
      fault(DeviceKind.PAVEMENT, FaultType.PAVEMENT_FREEZING, at(3, 2, 0), hours(3), "ice-risk");
      pothole(at(2, 12, 0));
      faults.sort(Comparator.comparing(PlannedFault::from).thenComparingInt(PlannedFault::device));
      expectations.sort(
          Comparator.comparing(RuleExpectation::from).thenComparing(RuleExpectation::rule));
      return new MultiDayPlan(faults, new Plants(missedBins, potholes), expectations);
    }

    /**
     * A bin the rounds miss, filling steadily: a prediction once it has a day of history (about 70
     * % full), full after 40 h, overdue for emptying 48 h after passing 70 %. The registry knows
     * the bin's round, and a prediction the round comes before is rightly left to the round: the
     * bin chosen has no round due until well after it is full, or, when every bin has one (a run
     * starting at a weekend, before the Monday rounds), the one whose round is latest, filling
     * faster so that it is full three hours before it.
     */
    private void missedBin() {
      Instant predicted = start.plus(hours(24));
      Instant steady = start.plus(hours(40));
      Instant full = steady;
      Integer bin =
          take(DeviceKind.BIN, a -> firstRound(a.bin(), start).isAfter(steady.plus(hours(4))));
      if (bin == null) {
        Integer latest = null;
        for (Integer b : free.get(DeviceKind.BIN)) {
          if (latest == null
              || firstRound(town.asset(b).bin(), start)
                  .isAfter(firstRound(town.asset(latest).bin(), start))) {
            latest = b;
          }
        }
        if (latest == null) {
          return;
        }
        Instant earlier = firstRound(town.asset(latest).bin(), start).minus(hours(3));
        if (earlier.isBefore(predicted.plus(hours(1)))) {
          return;
        }
        free.get(DeviceKind.BIN).remove(latest);
        bin = latest;
        full = earlier;
      }
      double fullH = Duration.between(start, full).toMinutes() / 60.0;
      double rate = (90 - MISSED_BIN_START_PCT) / fullH;
      Instant overdue =
          start.plusSeconds(Math.round((70 - MISSED_BIN_START_PCT) / rate * 3600)).plus(hours(48));
      missedBins.put(bin, new Plants.MissedBin(MISSED_BIN_START_PCT, rate));
      String why = "the rounds miss this bin, filling steadily";
      expect("bin-predicted-full", bin, predicted, full, why);
      expect("bin-full", bin, full, end, why);
      if (overdue.isBefore(end)) {
        expect("bin-not-collected", bin, overdue, end, why);
      }
    }

    /** The bin's first collection round after a day's history, as the registry knows it. */
    private Instant firstRound(BinDetails bin, Instant from) {
      Instant after = from.plus(hours(20));
      LocalDate day = after.atZone(zone).toLocalDate();
      for (int i = 0; i < 9; i++) {
        LocalDate d = day.plusDays(i);
        Instant round = d.atTime(bin.collectionTime()).atZone(zone).toInstant();
        if (bin.collectionDays().contains(d.getDayOfWeek()) && !round.isBefore(after)) {
          return round;
        }
      }
      return Instant.MAX;
    }

    private void fault(DeviceKind kind, FaultType type, Instant from, Duration d, String rule) {
      planned(kind, a -> true, type, null, 0, from, d, rule);
    }

    private void stuck(
        DeviceKind kind,
        Metric metric,
        Predicate<Asset> fits,
        Instant from,
        Duration d,
        String rule) {
      planned(kind, fits, FaultType.STUCK_VALUE, metric, 0, from, d, rule);
    }

    private void drift(DeviceKind kind, Metric metric, double perHour, Instant from, Duration d) {
      planned(kind, a -> true, FaultType.DRIFT, metric, perHour, from, d, "out-of-range-values");
    }

    private void planned(
        DeviceKind kind,
        Predicate<Asset> fits,
        FaultType type,
        Metric metric,
        double driftPerHour,
        Instant from,
        Duration d,
        String rule) {
      Instant until = from.plus(d);
      if (from.isBefore(start) || until.isAfter(end)) {
        return;
      }
      Integer device = take(kind, fits);
      if (device == null) {
        return;
      }
      faults.add(new PlannedFault(type, device, from, until, metric, driftPerHour, Double.NaN));
      expect(rule, device, from, until, "planned " + type.code());
    }

    private void pothole(Instant at) {
      if (at.isBefore(start) || at.plus(hours(3)).isAfter(end)) {
        return;
      }
      Integer pavement = take(DeviceKind.PAVEMENT, a -> true);
      if (pavement == null) {
        return;
      }
      potholes.put(pavement, at);
      // nobody mends it during the run: the footway stays rough (at every rush hour) to the end
      expect("pavement-roughness", pavement, at, end, "a planned pothole");
      expect("trip-hazard", pavement, at, end, "a planned pothole");
    }

    private void expect(String rule, int device, Instant from, Instant until, String why) {
      expectations.add(new RuleExpectation(rule, device, from, until, why));
    }

    /** The next free device of {@code kind} that fits, taken; {@code null} when none is left. */
    private Integer take(DeviceKind kind, Predicate<Asset> fits) {
      List<Integer> devices = free.get(kind);
      for (int i = 0; i < devices.size(); i++) {
        if (fits.test(town.asset(devices.get(i)))) {
          return devices.remove(i);
        }
      }
      return null;
    }

    /** Local {@code hour:minute} on the {@code day}-th day after the start's. */
    private Instant at(int day, int hour, int minute) {
      return firstDay.plusDays(day).atTime(LocalTime.of(hour, minute)).atZone(zone).toInstant();
    }

    private static Duration hours(long h) {
      return Duration.ofHours(h);
    }
  }
}
