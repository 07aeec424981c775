package io.kerbside.bench.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What the simulator's ground truth says happened to the bins in a window of simulated time: the
 * lifts (a {@code bin-collected} condition, one per bin emptied), the bin-hours spent overflowing
 * ({@code bin-overflowing} stretches, cut to the window) and the worst fill (the highest {@code
 * peak_fill_pct} of a stretch overflowing in the window, else the highest {@code fill_before_pct}
 * of a lift in it; above 100 % it counts the rubbish that did not fit), and how much the lifts
 * carried away (the sum of their {@code fill_before_pct}).
 *
 * @param lifts bins emptied in the window
 * @param overflowHours bin-hours overflowing in the window
 * @param worstFillPct the worst fill, percent of a bin's capacity
 * @param liftedBinsWorth the rubbish the lifts carried away, in bins' worth (a bin emptied at 60 %
 *     counts 0.6)
 */
public record BinTally(
    long lifts, double overflowHours, double worstFillPct, double liftedBinsWorth) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The mean fill of a bin when it was emptied, percent; NaN without lifts. */
  public double meanFillAtEmptyingPct() {
    return lifts == 0 ? Double.NaN : 100 * liftedBinsWorth / lifts;
  }

  /** Tallies the ground-truth file {@code file} over {@code [from, until)}. */
  public static BinTally of(Path file, Instant from, Instant until) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return of(r, from, until);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ground truth " + file, e);
    }
  }

  /** Tallies ground-truth JSON Lines over {@code [from, until)}. */
  public static BinTally of(BufferedReader lines, Instant from, Instant until) throws IOException {
    long lifts = 0;
    long overflowMs = 0;
    double worst = 0;
    double lifted = 0;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(line);
      if (!"condition".equals(n.path("record").asText())) {
        continue;
      }
      switch (n.path("type").asText()) {
        case "bin-collected" -> {
          Instant at = Instant.parse(n.path("at").asText());
          if (!at.isBefore(from) && at.isBefore(until)) {
            lifts++;
            double fill = n.path("fill_before_pct").asDouble();
            lifted += fill / 100;
            worst = Math.max(worst, fill);
          }
        }
        case "bin-overflowing" -> {
          Instant a = Instant.parse(n.path("from").asText());
          Instant b = Instant.parse(n.path("until").asText());
          Instant lo = a.isAfter(from) ? a : from;
          Instant hi = b.isBefore(until) ? b : until;
          if (hi.isAfter(lo)) {
            overflowMs += Duration.between(lo, hi).toMillis();
            worst = Math.max(worst, n.path("peak_fill_pct").asDouble());
          }
        }
        default -> {
          // other conditions say nothing about collections
        }
      }
    }
    return new BinTally(lifts, overflowMs / 3_600_000.0, worst, lifted);
  }
}
