package io.kerbside.app.it;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The start instants of the year-long alert sweep ({@code scripts/alert-sweep.sh}): four days in
 * every month of 2025 (the 3rd, 10th, 17th and 24th), each at another hour, so that the 48 starts
 * cover every hour of the day twice and every season. Fixed, so that two sweeps compare.
 */
final class AlertSweepStarts {
  static final int YEAR = 2025;
  static final int[] DAYS = {3, 10, 17, 24};

  private AlertSweepStarts() {}

  static List<Instant> instants() {
    List<Instant> out = new ArrayList<>();
    int i = 0;
    for (int month = 1; month <= 12; month++) {
      for (int day : DAYS) {
        // 7 is prime to 24: i * 7 mod 24 walks through every hour once in 24 steps
        int hour = (i * 7) % 24;
        int minute = (i * 13) % 60;
        out.add(
            LocalDate.of(YEAR, month, day).atTime(hour, minute).atZone(ZoneOffset.UTC).toInstant());
        i++;
      }
    }
    return out;
  }
}
