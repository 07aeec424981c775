package io.kerbside.bench.process;

import static io.kerbside.bench.report.Figures.cores;

import java.util.Locale;

/**
 * CPU use over one step, split between the ingest child (if any), this benchmark process, the
 * broker (when it runs on this machine) and everything else on the machine (the database, mostly),
 * in cores.
 */
public final class CpuWindow {
  private static final long SELF = ProcessHandle.current().pid();

  private final long childPid;
  private final String childLabel;
  private final long brokerPid;
  private final long broker0;
  private final long startNanos = System.nanoTime();
  private final long child0;
  private final long self0;
  private final long[] machine0;

  private CpuWindow(long childPid, String childLabel, long brokerPid) {
    this.childPid = childPid;
    this.childLabel = childLabel;
    this.brokerPid = brokerPid;
    this.broker0 = brokerPid < 0 ? -1 : ProcStats.processTicks(brokerPid);
    this.child0 = childPid < 0 ? 0 : ProcStats.processTicks(childPid);
    this.self0 = ProcStats.processTicks(SELF);
    this.machine0 = ProcStats.machineTicks();
  }

  /**
   * Starts measuring; {@code childPid} -1 when there is no child, which {@code label} names; {@code
   * brokerPid} -1 when the broker's process is not visible here.
   */
  public static CpuWindow start(long childPid, String label, long brokerPid) {
    return new CpuWindow(childPid, label, brokerPid);
  }

  /**
   * Ends the window and describes it, e.g. {@code ingest 0.90 cores, benchmark 0.35 cores, ...}.
   */
  public String end() {
    double tick = ProcStats.TICKS_PER_SECOND * (System.nanoTime() - startNanos) / 1e9;
    long child1 = childPid < 0 ? 0 : ProcStats.processTicks(childPid);
    long self1 = ProcStats.processTicks(SELF);
    long[] machine1 = ProcStats.machineTicks();
    double child = child0 < 0 || child1 < 0 ? Double.NaN : (child1 - child0) / tick;
    double self = self0 < 0 || self1 < 0 ? Double.NaN : (self1 - self0) / tick;
    long broker1 = brokerPid < 0 ? -1 : ProcStats.processTicks(brokerPid);
    double broker = broker0 < 0 || broker1 < 0 ? Double.NaN : (broker1 - broker0) / tick;
    StringBuilder sb = new StringBuilder();
    if (childPid >= 0) {
      sb.append(childLabel).append(' ').append(cores(child)).append(", ");
    }
    sb.append("benchmark process ").append(cores(self));
    if (machine0 != null && machine1 != null) {
      double busy = (machine1[0] - machine0[0]) / tick;
      double rest = busy - self - (childPid >= 0 ? child : 0);
      if (Double.isNaN(broker)) {
        sb.append(", broker+database+rest ").append(cores(rest));
      } else {
        sb.append(", broker ")
            .append(cores(broker))
            .append(", database+rest ")
            .append(cores(rest - broker));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "; machine %.0f %% busy (%d cores)",
              100.0 * (machine1[0] - machine0[0]) / Math.max(1, machine1[1] - machine0[1]),
              Runtime.getRuntime().availableProcessors()));
    }
    return sb.toString();
  }
}
