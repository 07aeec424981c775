package io.kerbside.app.cli;

import io.kerbside.sim.ProgressListener;
import io.kerbside.sim.SimProgress;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Shows a running simulation: a progress bar redrawn in place on a terminal, or a status line every
 * five seconds when the output goes to a file or a pipe.
 */
final class SimProgressPrinter implements ProgressListener {
  private static final int BAR_WIDTH = 24;
  private static final long STATUS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final PrintStream out;
  private final boolean terminal;
  private final DateTimeFormatter time;
  private long lastStatusNanos = System.nanoTime();
  private boolean drawn;

  SimProgressPrinter(PrintStream out, boolean terminal, ZoneId zone) {
    this.out = out;
    this.terminal = terminal;
    this.time = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT).withZone(zone);
  }

  @Override
  public void progress(SimProgress p) {
    if (terminal) {
      out.print('\r' + bar(p));
      out.flush();
      drawn = true;
      return;
    }
    long now = System.nanoTime();
    if (now - lastStatusNanos >= STATUS_EVERY_NANOS) {
      lastStatusNanos = now;
      out.println("sim - " + status(p));
    }
  }

  /** Ends the bar's line, so what follows starts on a new one. */
  void finish() {
    if (drawn) {
      out.println();
      drawn = false;
    }
  }

  String bar(SimProgress p) {
    int filled = (int) Math.round(p.fractionDone() * BAR_WIDTH);
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < BAR_WIDTH; i++) {
      sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    return sb.append("] ").append(status(p)).append("  ").toString();
  }

  String status(SimProgress p) {
    return String.format(
        Locale.ROOT,
        "%3.0f%%  %s  sent %,d  failed %,d  %,.0f/s  faults %,d",
        p.fractionDone() * 100,
        time.format(p.simulatedTime()),
        p.sent(),
        p.failed(),
        p.ratePerSecond(),
        p.faultsInjected());
  }
}
