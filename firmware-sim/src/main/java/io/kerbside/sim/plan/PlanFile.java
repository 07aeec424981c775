package io.kerbside.sim.plan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A collection plan as Kerbside writes it ({@code kerbside plan collections}): whose it is and, for
 * each stop, the bin and when the crew should get there.
 *
 * @param source where it was read from, for messages
 * @param council the council's slug
 * @param date the plan's local date
 * @param round the round's name
 * @param stops every stop, in the file's order
 */
public record PlanFile(
    String source, String council, LocalDate date, String round, List<Stop> stops) {
  public PlanFile {
    Objects.requireNonNull(council, "council");
    stops = List.copyOf(stops);
  }

  /**
   * One stop.
   *
   * @param assetRef the bin's asset reference ({@code CAS/BIN/00042})
   * @param eta when the crew empties it; {@code null} when no vehicle could take it (unassigned)
   */
  public record Stop(String assetRef, Instant eta) {
    public Stop {
      Objects.requireNonNull(assetRef, "assetRef");
    }
  }
}
