package io.kerbside.sim.model;

import io.kerbside.sim.FaultType;
import io.kerbside.sim.town.Asset;
import java.time.Duration;
import java.time.Instant;

/**
 * The physics of one simulated device and the asset it watches. A model has no clock of its own:
 * the simulation advances it to each reporting instant, in increasing order, and it reports what
 * its sensors measure then. Everything it draws at random comes from its own seeded stream, so a
 * model advanced to the same instants gives the same readings.
 *
 * <p>Not thread-safe: one thread advances a model.
 */
public interface DeviceModel {
  Asset asset();

  /** How often the device reports. */
  Duration reportInterval();

  /**
   * Moves the model on to {@code t} and writes what the device reports at {@code t} into {@code
   * values} (see {@link SimReading#values()}).
   *
   * @param t not before the previous call's
   * @param conditions told of conditions that began or ended on the way
   */
  void advanceTo(Instant t, double[] values, ConditionSink conditions);

  /**
   * Starts or ends a physical fault (a fire, a failed lamp, a flat battery...).
   *
   * @param at when it starts or ends
   * @throws IllegalArgumentException for a fault this kind of device cannot have, or a fault that
   *     is not physical (offline, stuck, drift, spike and delivery faults are applied outside)
   */
  void setFault(FaultType type, boolean active, Instant at);

  /** Ends the run at {@code end}: conditions still open are reported as ending then. */
  default void finish(Instant end, ConditionSink conditions) {}
}
