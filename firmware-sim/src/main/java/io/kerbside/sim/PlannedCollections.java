package io.kerbside.sim;

import io.kerbside.sim.plan.PlanFile;
import io.kerbside.sim.plan.PlanFileException;
import io.kerbside.sim.plan.PlanFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;

/**
 * Collections taken from Kerbside's collection plans instead of the bins' fixed rounds: a bin is
 * emptied at the ETA of each stop a plan gives it, and at no other time (a stop no vehicle could
 * take, with no ETA, empties nothing). Plans come from the files {@code kerbside plan collections}
 * writes ({@link #read}) or are added as they are made ({@link #add}), which may happen while a
 * simulation runs as long as simulated time has not reached their stops.
 *
 * <p>Every plan must be the council's named here and name only bins of the town it is checked
 * against ({@link #checkAgainst}); anything else is refused with a {@link PlanFileException} - a
 * wrong plan never falls back to the fixed rounds. Thread-safe.
 */
public final class PlannedCollections {
  private final String council;
  private final Map<String, NavigableSet<Instant>> byBin = new ConcurrentHashMap<>();
  private final List<PlanFile> plans = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Set<String> knownBins;

  /**
   * @param council the slug of the council whose plans these are ({@code default})
   */
  public PlannedCollections(String council) {
    this.council = Objects.requireNonNull(council, "council");
  }

  /** Collections read from plan files, each as {@link PlanFiles#read} reads it. */
  public static PlannedCollections read(String council, List<Path> files) {
    PlannedCollections c = new PlannedCollections(council);
    for (Path f : files) {
      c.add(PlanFiles.read(f));
    }
    return c;
  }

  public String council() {
    return council;
  }

  /**
   * Adds a plan's stops.
   *
   * @throws PlanFileException when the plan is another council's, or names a bin the town has not
   *     (once checked against a town)
   */
  public void add(PlanFile plan) {
    if (!council.equals(plan.council())) {
      throw new PlanFileException(
          plan.source()
              + ": a plan of council '"
              + plan.council()
              + "', not of '"
              + council
              + "'; refusing it (collections come from the plans of one council)");
    }
    Set<String> known = knownBins;
    if (known != null) {
      requireKnown(List.of(plan), known);
    }
    plans.add(plan);
    for (PlanFile.Stop s : plan.stops()) {
      if (s.eta() != null) {
        byBin.computeIfAbsent(s.assetRef(), k -> new ConcurrentSkipListSet<>()).add(s.eta());
      }
    }
  }

  /**
   * Checks the plans so far, and every plan added from now on, against the asset references of a
   * town's bins.
   *
   * @throws PlanFileException naming the first plan with a bin the town has not
   */
  public void checkAgainst(Collection<String> binAssetRefs) {
    Set<String> known = Set.copyOf(binAssetRefs);
    requireKnown(plans, known);
    knownBins = known;
  }

  private static void requireKnown(List<PlanFile> plans, Set<String> known) {
    for (PlanFile p : plans) {
      TreeSet<String> unknown =
          p.stops().stream()
              .map(PlanFile.Stop::assetRef)
              .filter(r -> !known.contains(r))
              .collect(Collectors.toCollection(TreeSet::new));
      if (!unknown.isEmpty()) {
        throw new PlanFileException(
            p.source()
                + ": "
                + unknown.size()
                + " bin(s) this town does not have, e.g. "
                + unknown.first()
                + "; refusing it (a plan of another town, seed or size?)");
      }
    }
  }

  /** The first collection of bin {@code assetRef} strictly after {@code after}, or null. */
  public Instant nextAfter(String assetRef, Instant after) {
    NavigableSet<Instant> at = byBin.get(assetRef);
    return at == null ? null : at.higher(after);
  }

  /** The plans added, in order. */
  public List<PlanFile> plans() {
    return List.copyOf(plans);
  }

  /** How many collections the plans hold (stops with an ETA). */
  public int collections() {
    return byBin.values().stream().mapToInt(Set::size).sum();
  }
}
