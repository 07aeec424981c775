package io.kerbside.sim.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Things a scenario sets up in particular devices' models on a planned schedule, rather than
 * leaving them to chance: bins the collection rounds miss, potholes that form at a given moment.
 *
 * @param missedBins by device index: bins every round passes by, with how full they start and how
 *     fast they fill
 * @param potholes by device index: when a pothole forms in that pavement section
 */
public record Plants(Map<Integer, MissedBin> missedBins, Map<Integer, Instant> potholes) {
  public static final Plants NONE = new Plants(Map.of(), Map.of());

  public Plants {
    missedBins = Map.copyOf(missedBins);
    potholes = Map.copyOf(potholes);
  }

  /**
   * A bin the rounds miss: it fills at a steady rate (a building site's or a market's rubbish, not
   * the street's daily rhythm) and is never emptied.
   *
   * @param startFillPct how full it is at the start
   * @param ratePctPerHour how fast it fills, percentage points an hour
   */
  public record MissedBin(double startFillPct, double ratePctPerHour) {
    public MissedBin {
      if (!(startFillPct >= 0 && startFillPct <= 100) || !(ratePctPerHour >= 0)) {
        throw new IllegalArgumentException(
            "a missed bin needs a fill of 0-100 % and a rate of 0 or more, got "
                + startFillPct
                + " and "
                + ratePctPerHour);
      }
    }
  }

  /** The pothole planned for device {@code index}, or {@code null}. */
  Instant potholeAt(int index) {
    return potholes.get(index);
  }

  /** The plan for bin {@code index} if the rounds miss it, or {@code null}. */
  MissedBin missedBin(int index) {
    return missedBins.get(index);
  }

  static Plants orNone(Plants p) {
    return Objects.requireNonNullElse(p, NONE);
  }
}
