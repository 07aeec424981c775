package io.kerbside.sim.fault;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.scenario.FaultMix;
import io.kerbside.sim.scenario.ScenarioSpec;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.Town;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decides a run's device faults before it starts: which devices, when, for how long, and on which
 * metric. Devices are drawn without repeating until every device of a kind has had a fault, so two
 * faults rarely land on one device. A fault begins after the first twentieth of the run, early
 * enough to last its shortest duration before the end (or, when that is longer than half the run,
 * in the first half of what is left); it is cut at the end of the run.
 */
public final class FaultPlanner {
  private FaultPlanner() {}

  /** The plan, ordered by start time. */
  public static List<PlannedFault> plan(
      ScenarioSpec spec, Town town, Instant start, Instant end, long seed) {
    SplittableRandom rng = Seeds.stream(seed, Seeds.FAULT_PLAN);
    Map<DeviceKind, Pool> pools = new EnumMap<>(DeviceKind.class);
    for (DeviceKind kind : DeviceKind.values()) {
      List<Integer> devices = new ArrayList<>();
      for (Asset a : town.assets()) {
        if (a.kind() == kind) {
          devices.add(a.index());
        }
      }
      pools.put(kind, new Pool(devices, rng));
    }
    long runMs = Duration.between(start, end).toMillis();
    List<PlannedFault> plan = new ArrayList<>();
    for (FaultMix mix : spec.deviceFaults()) {
      List<DeviceKind> kinds = new ArrayList<>();
      int eligible = 0;
      for (DeviceKind kind : DeviceKind.values()) {
        if (mix.type().appliesTo(kind) && pools.get(kind).size() > 0) {
          kinds.add(kind);
          eligible += pools.get(kind).size();
        }
      }
      if (eligible == 0 || mix.share() == 0) {
        continue;
      }
      int count = Math.max(1, (int) Math.round(mix.share() * eligible));
      for (int i = 0; i < count; i++) {
        DeviceKind kind = pickKind(kinds, pools, rng);
        int device = pools.get(kind).next();
        long minMs = mix.minDuration().toMillis();
        long maxMs = mix.maxDuration().toMillis();
        long durationMs = minMs + (maxMs > minMs ? rng.nextLong(maxMs - minMs + 1) : 0);
        long earliest = runMs / 20;
        long latest = Math.max(earliest, runMs - Math.min(minMs, (runMs - earliest) / 2));
        long offset = earliest + (latest > earliest ? rng.nextLong(latest - earliest) : 0);
        Instant from = start.plusMillis(offset);
        Instant until =
            mix.type() == FaultType.IMPOSSIBLE_SPIKE ? from : min(from.plusMillis(durationMs), end);
        plan.add(details(mix.type(), device, kind, from, until, rng));
      }
    }
    plan.sort(Comparator.comparing(PlannedFault::from).thenComparingInt(PlannedFault::device));
    return List.copyOf(plan);
  }

  /**
   * A few device faults in the first simulated minutes, on devices the scenario's own plan leaves
   * alone, so that Kerbside has something to raise as soon as a run starts (a demo shows its first
   * alerts at once): a bin knocked over, a bin on fire, a device gone silent and a failed lamp (the
   * last raises once it is dark). A town without a device of a kind gets none of that kind's.
   *
   * @param planned the scenario's plan, whose devices are not picked
   * @return the opening faults, ordered by start
   */
  public static List<PlannedFault> opening(
      Town town, Instant start, Instant end, long seed, List<PlannedFault> planned) {
    SplittableRandom rng = Seeds.stream(seed, Seeds.OPENING_FAULTS);
    java.util.Set<Integer> taken = new java.util.HashSet<>();
    for (PlannedFault f : planned) {
      taken.add(f.device());
    }
    Map<DeviceKind, List<Integer>> free = new EnumMap<>(DeviceKind.class);
    for (Asset a : town.assets()) {
      if (!taken.contains(a.index())) {
        free.computeIfAbsent(a.kind(), k -> new ArrayList<>()).add(a.index());
      }
    }
    List<PlannedFault> plan = new ArrayList<>();
    addOpening(plan, free, DeviceKind.BIN, FaultType.BIN_KNOCKED_OVER, start, 2, 180, end, rng);
    addOpening(plan, free, DeviceKind.BIN, FaultType.BIN_FIRE, start, 8, 60, end, rng);
    DeviceKind silent =
        free.getOrDefault(DeviceKind.PAVEMENT, List.of()).isEmpty()
            ? DeviceKind.STREETLIGHT
            : DeviceKind.PAVEMENT;
    addOpening(plan, free, silent, FaultType.OFFLINE, start, 5, 180, end, rng);
    addOpening(
        plan, free, DeviceKind.STREETLIGHT, FaultType.LAMP_FAILURE, start, 0, 24 * 60, end, rng);
    plan.sort(Comparator.comparing(PlannedFault::from).thenComparingInt(PlannedFault::device));
    return List.copyOf(plan);
  }

  private static void addOpening(
      List<PlannedFault> plan,
      Map<DeviceKind, List<Integer>> free,
      DeviceKind kind,
      FaultType type,
      Instant start,
      int afterMinutes,
      int forMinutes,
      Instant end,
      SplittableRandom rng) {
    List<Integer> devices = free.getOrDefault(kind, List.of());
    Instant from = start.plus(Duration.ofMinutes(afterMinutes));
    if (devices.isEmpty() || !from.isBefore(end)) {
      return;
    }
    int device = devices.remove(rng.nextInt(devices.size()));
    plan.add(
        details(
            type, device, kind, from, min(from.plus(Duration.ofMinutes(forMinutes)), end), rng));
  }

  private static PlannedFault details(
      FaultType type,
      int device,
      DeviceKind kind,
      Instant from,
      Instant until,
      SplittableRandom rng) {
    double sign = rng.nextBoolean() ? 1 : -1;
    return switch (type) {
      case STUCK_VALUE ->
          new PlannedFault(type, device, from, until, stuckMetric(kind), 0, Double.NaN);
      case DRIFT ->
          switch (kind) {
            case BIN ->
                new PlannedFault(
                    type,
                    device,
                    from,
                    until,
                    Metric.TEMP_C,
                    sign * Seeds.between(rng, 0.8, 2),
                    Double.NaN);
            case STREETLIGHT ->
                new PlannedFault(
                    type,
                    device,
                    from,
                    until,
                    Metric.VOLTAGE_V,
                    sign * Seeds.between(rng, 1, 3),
                    Double.NaN);
            case PAVEMENT ->
                new PlannedFault(
                    type,
                    device,
                    from,
                    until,
                    Metric.SURFACE_TEMP_C,
                    sign * Seeds.between(rng, 0.3, 0.8),
                    Double.NaN);
          };
      case IMPOSSIBLE_SPIKE ->
          switch (kind) {
            case BIN -> new PlannedFault(type, device, from, until, Metric.TEMP_C, 0, 327.6);
            case STREETLIGHT ->
                new PlannedFault(type, device, from, until, Metric.POWER_W, 0, 6553.5);
            case PAVEMENT ->
                new PlannedFault(type, device, from, until, Metric.SURFACE_TEMP_C, 0, -99.9);
          };
      default -> new PlannedFault(type, device, from, until, null, 0, Double.NaN);
    };
  }

  /** The metric a stuck sensor freezes: the one the device exists to measure. */
  static Metric stuckMetric(DeviceKind kind) {
    return switch (kind) {
      case BIN -> Metric.FILL_PCT;
      case STREETLIGHT -> Metric.POWER_W;
      case PAVEMENT -> Metric.SURFACE_TEMP_C;
    };
  }

  private static DeviceKind pickKind(
      List<DeviceKind> kinds, Map<DeviceKind, Pool> pools, SplittableRandom rng) {
    int total = 0;
    for (DeviceKind k : kinds) {
      total += pools.get(k).size();
    }
    int r = rng.nextInt(total);
    for (DeviceKind k : kinds) {
      r -= pools.get(k).size();
      if (r < 0) {
        return k;
      }
    }
    return kinds.get(kinds.size() - 1);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** The devices of one kind in a shuffled order, dealt in turn and reshuffled when used up. */
  private static final class Pool {
    private final int[] devices;
    private final SplittableRandom rng;
    private int next;

    Pool(List<Integer> devices, SplittableRandom rng) {
      this.devices = devices.stream().mapToInt(Integer::intValue).toArray();
      this.rng = rng;
      shuffle();
    }

    int size() {
      return devices.length;
    }

    int next() {
      if (next == devices.length) {
        shuffle();
        next = 0;
      }
      return devices[next++];
    }

    private void shuffle() {
      for (int i = devices.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = devices[i];
        devices[i] = devices[j];
        devices[j] = t;
      }
    }
  }
}
