package io.kerbside.sim.town;

import java.time.LocalTime;
import java.util.Locale;

/** How a lit streetlight's output follows the local time of night. */
public enum DimmingProfile {
  /** Full output from dusk to dawn. */
  NONE,
  /** Full output until 22:00, 75 % until midnight, 50 % until 05:30, then full until dawn. */
  PART_NIGHT;

  /** The output in percent of rated power at local time {@code t}, while lit. */
  public double dimPct(LocalTime t) {
    if (this == NONE) {
      return 100;
    }
    int minute = t.getHour() * 60 + t.getMinute();
    if (minute >= 22 * 60) {
      return 75;
    }
    if (minute < 5 * 60 + 30) {
      return 50;
    }
    return 100;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
