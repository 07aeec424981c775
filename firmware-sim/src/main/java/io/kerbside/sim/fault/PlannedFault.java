package io.kerbside.sim.fault;

import io.kerbside.core.Metric;
import io.kerbside.sim.FaultType;
import java.time.Instant;
import java.util.Objects;

/**
 * A device fault decided before the run.
 *
 * @param type the fault
 * @param device index of the device in the town
 * @param from when it begins
 * @param until when it ends (equal to {@code from} for a one-shot spike)
 * @param metric the metric it affects, for stuck values, drifts and spikes; otherwise {@code null}
 * @param driftPerHour for a drift, how far the metric moves per hour; otherwise 0
 * @param spikeValue for a spike, the impossible value reported; otherwise {@code NaN}
 */
public record PlannedFault(
    FaultType type,
    int device,
    Instant from,
    Instant until,
    Metric metric,
    double driftPerHour,
    double spikeValue) {
  public PlannedFault {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    if (until.isBefore(from)) {
      throw new IllegalArgumentException("fault ends before it begins: " + from + " > " + until);
    }
  }

  /** True for faults the device model itself must play (a fire, a failed lamp...). */
  public boolean physical() {
    return switch (type) {
      case LOW_BATTERY,
              BIN_FIRE,
              BIN_KNOCKED_OVER,
              LAMP_FAILURE,
              DAY_BURNER,
              CYCLING_LAMP,
              PAVEMENT_FREEZING ->
          true;
      default -> false;
    };
  }
}
