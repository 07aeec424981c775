package io.kerbside.sim;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A named situation for the simulated town, each with its weather, its faults and what Kerbside is
 * expected to make of it. {@code docs/simulator.md} describes each one.
 */
public enum Scenario {
  /** Mild dry weather, bins collected on schedule, no faults: Kerbside should raise nothing. */
  QUIET_DAY("mild dry day, no faults: Kerbside should raise nothing", Duration.ofDays(1)),
  /** A cold clear night after evening rain: pavements freeze, some lamps fail. */
  WINTER_NIGHT(
      "cold clear night after evening rain: icy pavements, lamp failures", Duration.ofHours(16)),
  /** Bins start well filled and are emptied by the collection rounds of the day. */
  COLLECTION_DAY(
      "bins filling through the day and emptied by the collection rounds", Duration.ofDays(1)),
  /** Every delivery fault (and every device fault) at high rates. */
  CHAOS("every delivery fault and every device fault, often", Duration.ofHours(2)),
  /**
   * Four days on a planned schedule that gives every one of Kerbside's rules something to find:
   * each planned fault or condition is recorded in the ground truth with the rule that should catch
   * it.
   */
  MULTI_DAY("four days with something planned for every rule to find", Duration.ofDays(4)),
  /**
   * A week of bins filling as they naturally do, without faults, emptied by their fixed rounds or
   * by collection plans: the town in which planned collections are compared with fixed ones.
   */
  COLLECTION_WEEK(
      "a week of bins filling and emptied by their rounds (or by plans), no faults",
      Duration.ofDays(7)),
  /**
   * Throughput: the town's worth of readings for the duration, published as fast as possible with
   * per-device sequence numbers, without models or faults.
   */
  BENCHMARK("readings as fast as possible, per-device sequence numbers", Duration.ofHours(1));

  private final String description;
  private final Duration defaultDuration;

  Scenario(String description, Duration defaultDuration) {
    this.description = description;
    this.defaultDuration = defaultDuration;
  }

  /** The name used on the command line and in ground-truth files, e.g. {@code winter-night}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** One line for {@code --help} and summaries. */
  public String description() {
    return description;
  }

  /** Simulated duration used when none is given. */
  public Duration defaultDuration() {
    return defaultDuration;
  }

  /** Parses a {@link #code()} (case-insensitive; {@code _} is accepted for {@code -}). */
  public static Optional<Scenario> fromCode(String code) {
    if (code == null) {
      return Optional.empty();
    }
    String wanted = code.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Scenario s : values()) {
      if (s.code().equals(wanted)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
