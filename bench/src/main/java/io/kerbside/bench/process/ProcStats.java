package io.kerbside.bench.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
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
    // The command name in parentheses may contain spaces; fields are counted after it.
    String[] f = statFields(pid);
    return f == null ? -1 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * User plus system CPU ticks used so far by process {@code pid} and by every process it started
   * that has exited and been waited for ({@code cutime}, {@code cstime}), plus the current ticks of
   * its living children: the CPU of a process tree one level deep, such as a PostgreSQL postmaster
   * and its backends, including backends that ended meanwhile. -1 when unreadable.
   */
  public static long processTreeTicks(long pid) {
    String[] own = statFields(pid);
    if (own == null) {
      return -1;
    }
    long ticks =
        Long.parseLong(own[11])
            + Long.parseLong(own[12])
            + Long.parseLong(own[13])
            + Long.parseLong(own[14]);
    String parent = Long.toString(pid);
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        String[] f = statFields(Long.parseLong(proc.getFileName().toString()));
        if (f != null && f[1].equals(parent)) {
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return ticks;
  }

  /** The parent of process {@code pid}; -1 when unreadable. */
  public static long parentPid(long pid) {
    String[] f = statFields(pid);
    return f == null ? -1 : Long.parseLong(f[1]);
  }

  /** The command line of process {@code pid}, arguments separated by spaces; "" when unreadable. */
  public static String commandLine(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /**
   * The fields of {@code /proc/<pid>/stat} after the command name: index 0 is the state, 1 the
   * parent, 11/12 utime/stime, 13/14 cutime/cstime. Null when unreadable (e.g. the process ended).
   */
  private static String[] statFields(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
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
