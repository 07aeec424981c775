package io.kerbside.sim.weather;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Local time in one time zone, fast: it remembers the offset in force and until when, so that
 * converting the millions of instants of a run looks the zone's rules up only at clock changes.
 *
 * <p>Not thread-safe: one per model or weather.
 */
public final class LocalClock {
  private final ZoneId zone;
  private final ZoneRules rules;
  private ZoneOffset offset;
  private long validFromS = Long.MAX_VALUE;
  private long validUntilS = Long.MIN_VALUE;

  public LocalClock(ZoneId zone) {
    this.zone = zone;
    this.rules = zone.getRules();
  }

  public ZoneId zone() {
    return zone;
  }

  /** The local date and time at {@code t}. */
  public LocalDateTime local(Instant t) {
    return LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), offsetAt(t));
  }

  /** The local date at {@code t}. */
  public LocalDate date(Instant t) {
    return LocalDate.ofEpochDay(Math.floorDiv(localSeconds(t), 86_400));
  }

  /** The local time of day at {@code t} in hours, 0 to just under 24. */
  public double hourOfDay(Instant t) {
    long s = Math.floorMod(localSeconds(t), 86_400);
    return (s + t.getNano() / 1e9) / 3_600.0;
  }

  private long localSeconds(Instant t) {
    return t.getEpochSecond() + offsetAt(t).getTotalSeconds();
  }

  private ZoneOffset offsetAt(Instant t) {
    long s = t.getEpochSecond();
    if (s < validFromS || s >= validUntilS) {
      offset = rules.getOffset(t);
      ZoneOffsetTransition previous = rules.previousTransition(t.plusNanos(1));
      ZoneOffsetTransition next = rules.nextTransition(t);
      validFromS = previous == null ? Long.MIN_VALUE : previous.getInstant().getEpochSecond();
      validUntilS = next == null ? Long.MAX_VALUE : next.getInstant().getEpochSecond();
    }
    return offset;
  }
}
