package io.kerbside.bench.process;

import io.kerbside.bench.BenchmarkException;
import io.kerbside.bench.metrics.PrometheusScrape;
import io.kerbside.sim.load.LoadReport;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Follows the ingest child through its {@code /metrics}: how many readings it has accounted for
 * (stored, duplicate or rejected) and the peak of its heap use over every scrape.
 */
public final class IngestWatch {
  public static final String READINGS = "kerbside_ingest_readings_total";
  public static final String REJECTIONS = "kerbside_ingest_rejections_total";
  public static final String READING_AGE = "kerbside_ingest_reading_age_seconds";
  public static final String BATCH_SIZE = "kerbside_ingest_batch_size";
  public static final String BATCH_WRITE = "kerbside_ingest_batch_write_seconds";
  public static final String BATCH_FAILURES = "kerbside_ingest_batch_failures_total";
  private static final String MEMORY_USED = "jvm_memory_used_bytes";
  private static final long POLL_MS = 250;
  private static final long FINAL_POLL_MS = 50;

  private final IngestChild child;
  private double peakHeapBytes;
  private double stepPeakHeapBytes;

  public IngestWatch(IngestChild child) {
    this.child = child;
  }

  /** One scrape, also taken into the peak heap. */
  public PrometheusScrape scrape() throws InterruptedException {
    PrometheusScrape s = child.scrape();
    double heap = s.sum(MEMORY_USED, "area", "heap");
    peakHeapBytes = Math.max(peakHeapBytes, heap);
    stepPeakHeapBytes = Math.max(stepPeakHeapBytes, heap);
    return s;
  }

  /** Largest heap use seen by a scrape since the last call, in bytes; starts a new step. */
  public double takeStepPeakHeapBytes() {
    double peak = stepPeakHeapBytes;
    stepPeakHeapBytes = 0;
    return peak;
  }

  /** Largest heap use seen by any scrape, in bytes. */
  public double peakHeapBytes() {
    return peakHeapBytes;
  }

  /** Readings stored, found duplicate, or rejected, since the child started. */
  public static double accounted(PrometheusScrape s) {
    return s.sum(READINGS, "outcome", "stored")
        + s.sum(READINGS, "outcome", "duplicate")
        + s.sum(REJECTIONS);
  }

  /** Where a watched step ended. */
  public record Completion(LoadReport published, long doneNanoTime, PrometheusScrape last) {
    /** From the first publish to the scrape that saw the last reading accounted for, in seconds. */
    public double seconds() {
      return (doneNanoTime - published.startNanoTime()) / 1e9;
    }
  }

  /**
   * Scrapes every 250 ms (every 50 ms near the end) until {@code publishing} has finished and the
   * ingest has accounted for every reading it sent, counting from {@code baseline} (the {@link
   * #accounted} value before the step). The end time is that of the first scrape that saw the last
   * reading, so it is late by at most one polling interval.
   *
   * @throws BenchmarkException when the publisher fails, the child dies, or the count does not move
   *     for {@code stall}
   */
  public Completion awaitAccounted(double baseline, Future<LoadReport> publishing, Duration stall)
      throws InterruptedException {
    LoadReport published = null;
    double lastDone = 0;
    long progressAt = System.nanoTime();
    long sleepMs = POLL_MS;
    while (true) {
      TimeUnit.MILLISECONDS.sleep(sleepMs);
      PrometheusScrape s = scrape();
      long now = System.nanoTime();
      double done = accounted(s) - baseline;
      if (published == null && publishing.isDone()) {
        published = result(publishing);
      }
      if (published != null && done >= published.sent()) {
        return new Completion(published, now, s);
      }
      if (done > lastDone) {
        double perNano = (done - lastDone) / Math.max(1, now - progressAt);
        double remaining = (published != null ? published.sent() : Double.MAX_VALUE) - done;
        sleepMs = remaining / perNano < 2 * POLL_MS * 1e6 ? FINAL_POLL_MS : POLL_MS;
        lastDone = done;
        progressAt = now;
      } else if (now - progressAt > stall.toNanos()) {
        throw new BenchmarkException(
            String.format(
                Locale.ROOT,
                "the ingest accounted for no reading in %d s (%,.0f of %s so far); see %s%n%s",
                stall.toSeconds(),
                done,
                published == null ? "the readings being published" : published.sent(),
                child.log(),
                child.logTail(20)));
      }
    }
  }

  private static LoadReport result(Future<LoadReport> publishing) throws InterruptedException {
    try {
      return publishing.get();
    } catch (ExecutionException e) {
      throw new BenchmarkException("publishing failed: " + e.getCause(), e.getCause());
    }
  }
}
