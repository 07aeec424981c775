package io.kerbside.sim.scenario;

import io.kerbside.sim.FaultType;
import java.time.Duration;
import java.util.Objects;

/**
 * How much of one device fault a scenario injects.
 *
 * @param type a device fault
 * @param share share of the devices that can have it, 0 to 1; at least one device gets it when the
 *     share is above 0 and any device can
 * @param minDuration shortest a fault lasts (ignored for one-shot spikes)
 * @param maxDuration longest a fault lasts
 */
public record FaultMix(FaultType type, double share, Duration minDuration, Duration maxDuration) {
  public FaultMix {
    Objects.requireNonNull(type, "type");
    if (type.category() != FaultType.Category.DEVICE) {
      throw new IllegalArgumentException(type.code() + " is not a device fault");
    }
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be 0 to 1, got " + share);
    }
    if (minDuration.compareTo(maxDuration) > 0) {
      throw new IllegalArgumentException("minDuration after maxDuration for " + type.code());
    }
  }

  static FaultMix of(FaultType type, double share, int minMinutes, int maxMinutes) {
    return new FaultMix(
        type, share, Duration.ofMinutes(minMinutes), Duration.ofMinutes(maxMinutes));
  }
}
