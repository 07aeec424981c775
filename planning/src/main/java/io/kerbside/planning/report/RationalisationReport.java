package io.kerbside.planning.report;

import java.time.Instant;
import java.util.List;

/**
 * The bin rationalisation report of a council: every active bin over {@code [from, to)}, most
 * pressing recommendation first ({@link Recommendation} order), then by asset reference.
 */
public record RationalisationReport(
    String council,
    Instant from,
    Instant to,
    int weeks,
    RationalisationConfig config,
    List<RationalisedBin> bins) {
  public RationalisationReport {
    bins = List.copyOf(bins);
  }

  /** How many bins have {@code r}. */
  public long count(Recommendation r) {
    return bins.stream().filter(b -> b.recommendation() == r).count();
  }
}
