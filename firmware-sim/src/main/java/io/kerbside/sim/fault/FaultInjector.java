package io.kerbside.sim.fault;

import io.kerbside.core.Metric;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.model.DeviceModel;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.random.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays a run's planned device faults: starts each when the simulation reaches it, hands physical
 * faults to the device's model, and applies sensor faults (stuck values, drifts, spikes) to what
 * the device reports. Memory grows with the number of faults active at once, never with the run.
 *
 * <p>Not thread-safe: the simulation's thread drives it.
 */
public final class FaultInjector {
  private final List<PlannedFault> plan;
  private final DeviceModel[] models;
  private final List<List<Active>> activeByDevice;
  private final long seed;
  private int nextPlanned;

  /**
   * @param plan ordered by {@link PlannedFault#from()}
   * @param models the town's device models by device index
   */
  public FaultInjector(List<PlannedFault> plan, DeviceModel[] models) {
    this(plan, models, 0);
  }

  /**
   * @param plan ordered by {@link PlannedFault#from()}
   * @param models the town's device models by device index
   * @param seed decides which messages a frame loss loses
   */
  public FaultInjector(List<PlannedFault> plan, DeviceModel[] models, long seed) {
    this.seed = seed;
    this.plan = plan;
    this.models = models;
    this.activeByDevice = new ArrayList<>(models.length);
    for (int i = 0; i < models.length; i++) {
      activeByDevice.add(null);
    }
  }

  /**
   * Starts every planned fault that begins at or before {@code t} and has not started yet.
   *
   * @return the faults started, in plan order
   */
  public List<PlannedFault> startDue(Instant t) {
    List<PlannedFault> started = List.of();
    while (nextPlanned < plan.size() && !plan.get(nextPlanned).from().isAfter(t)) {
      PlannedFault f = plan.get(nextPlanned++);
      List<Active> active = activeByDevice.get(f.device());
      if (active == null) {
        active = new ArrayList<>(2);
        activeByDevice.set(f.device(), active);
      }
      active.add(new Active(f));
      if (f.physical()) {
        models[f.device()].setFault(f.type(), true, f.from());
      }
      if (started.isEmpty()) {
        started = new ArrayList<>();
      }
      started.add(f);
    }
    return started;
  }

  /** Ends device {@code d}'s faults that are over by {@code t}; call before it reports. */
  public void expire(int d, Instant t) {
    List<Active> active = activeByDevice.get(d);
    if (active == null) {
      return;
    }
    active.removeIf(
        a -> {
          PlannedFault f = a.fault;
          if (f.type() == FaultType.IMPOSSIBLE_SPIKE || f.until().isAfter(t)) {
            return false;
          }
          if (f.physical()) {
            models[d].setFault(f.type(), false, f.until());
          }
          return true;
        });
    if (active.isEmpty()) {
      activeByDevice.set(d, null);
    }
  }

  /** True while device {@code d} is offline. */
  public boolean offline(int d) {
    List<Active> active = activeByDevice.get(d);
    if (active == null) {
      return false;
    }
    for (Active a : active) {
      if (a.fault.type() == FaultType.OFFLINE) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when device {@code d}'s message numbered {@code seq} is lost on the way (a frame loss):
   * each message has an even chance, but never two in a row, so about a third are lost and the
   * device never falls silent for longer than two of its intervals.
   */
  public boolean lost(int d, long seq) {
    List<Active> active = activeByDevice.get(d);
    if (active == null) {
      return false;
    }
    for (Active a : active) {
      if (a.fault.type() == FaultType.FRAME_LOSS) {
        boolean lose = !a.lostLast && Seeds.unit(seed, d, seq) < 0.5;
        a.lostLast = lose;
        return lose;
      }
    }
    return false;
  }

  /**
   * Applies device {@code d}'s stuck values, drifts and a pending spike to the values it reports at
   * {@code t}.
   *
   * @return the spike applied to this reading, or {@code null}
   */
  public PlannedFault applySensorFaults(int d, Instant t, double[] values) {
    List<Active> active = activeByDevice.get(d);
    if (active == null) {
      return null;
    }
    PlannedFault spike = null;
    for (Active a : active) {
      PlannedFault f = a.fault;
      switch (f.type()) {
        case STUCK_VALUE -> {
          if (Double.isNaN(a.stuck)) {
            a.stuck = values[f.metric().ordinal()];
            a.stuckDistance = values[Metric.DISTANCE_MM.ordinal()];
          }
          values[f.metric().ordinal()] = a.stuck;
          if (f.metric() == Metric.FILL_PCT) {
            values[Metric.DISTANCE_MM.ordinal()] = a.stuckDistance;
          }
        }
        case DRIFT -> {
          double hours = Duration.between(f.from(), t).toMillis() / 3_600_000.0;
          SimReading.put(
              values, f.metric(), values[f.metric().ordinal()] + f.driftPerHour() * hours);
        }
        case IMPOSSIBLE_SPIKE -> spike = f;
        default -> {
          // Physical faults live in the model; offline is asked for separately.
        }
      }
    }
    if (spike != null) {
      values[spike.metric().ordinal()] = spike.spikeValue();
      PlannedFault done = spike;
      active.removeIf(a -> a.fault == done);
      if (active.isEmpty()) {
        activeByDevice.set(d, null);
      }
    }
    return spike;
  }

  private static final class Active {
    final PlannedFault fault;
    double stuck = Double.NaN;
    double stuckDistance = Double.NaN;
    boolean lostLast;

    Active(PlannedFault fault) {
      this.fault = fault;
    }
  }
}
