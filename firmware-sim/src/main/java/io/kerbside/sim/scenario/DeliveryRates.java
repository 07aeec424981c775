package io.kerbside.sim.scenario;

/**
 * How often a reading's delivery goes wrong, as probabilities per reading (at most one delivery
 * fault per reading).
 *
 * @param duplicate sent twice
 * @param outOfOrder held back and sent after the device's next reading
 * @param clockSkew stamped hours ahead
 * @param malformed mangled
 * @param burst followed by a flood of readings from the same device
 * @param burstMinReadings fewest readings in a flood
 * @param burstMaxReadings most readings in a flood
 */
public record DeliveryRates(
    double duplicate,
    double outOfOrder,
    double clockSkew,
    double malformed,
    double burst,
    int burstMinReadings,
    int burstMaxReadings) {
  public static final DeliveryRates NONE = new DeliveryRates(0, 0, 0, 0, 0, 0, 0);

  public DeliveryRates {
    double total = duplicate + outOfOrder + clockSkew + malformed + burst;
    if (duplicate < 0
        || outOfOrder < 0
        || clockSkew < 0
        || malformed < 0
        || burst < 0
        || total > 1) {
      throw new IllegalArgumentException(
          "delivery fault rates must be 0 or more, at most 1 in all");
    }
    if (burst > 0 && (burstMinReadings < 1 || burstMaxReadings < burstMinReadings)) {
      throw new IllegalArgumentException("a burst needs 1 <= min <= max readings");
    }
  }

  /** True when no delivery fault can happen. */
  public boolean none() {
    return duplicate + outOfOrder + clockSkew + malformed + burst == 0;
  }
}
