package io.kerbside.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Readings from Linux's {@code /proc}: CPU time of a process and of the whole machine, and a
 * process's peak resident set. CPU times are in clock ticks of 1/100 s, the value of {@code
 * CLK_TCK} on every mainstream Linux architecture.
 */
public final class ProcStats {
  /** Clock ticks per second in {@code /proc} CPU times. */
  public static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  /** User plus system CPU ticks used so far by process {@code pid}; -1 when unreadable. */
  public static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name in parentheses may contain spaces; fields are counted after it.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * {busy, total} CPU ticks of the whole machine so far, summed over all cores; null if unreadable.
   */
  public static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      long idle = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        long v = Long.parseLong(f[i]);
        total += v;
        if (i == 4 || i == 5) {
          idle += v;
        }
      }
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Peak resident set size ({@code VmHWM}) of process {@code pid} in bytes; -1 when unreadable. */
  public static long peakRssBytes(long pid) {
    long kb = statusKb(pid, "VmHWM:");
    return kb < 0 ? -1 : kb * 1024;
  }

  private static long statusKb(long pid, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String line : lines) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
