package io.kerbside.sim.town;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Set;

/**
 * A litter bin with an ultrasonic fill sensor under its lid.
 *
 * @param depthMm from the sensor to the bottom of the empty bin
 * @param capacityL volume in litres
 * @param collectionDays days of the week the collection round empties it
 * @param collectionTime local time the round reaches it
 */
public record BinDetails(
    int depthMm, int capacityL, Set<DayOfWeek> collectionDays, LocalTime collectionTime)
    implements AssetDetails {
  public BinDetails {
    if (depthMm < 100 || depthMm > 5_000) {
      throw new IllegalArgumentException("bin depth must be 100 to 5000 mm, got " + depthMm);
    }
    collectionDays = Set.copyOf(collectionDays);
    Objects.requireNonNull(collectionTime, "collectionTime");
  }
}
