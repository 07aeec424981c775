package io.kerbside.ingest;

import io.kerbside.core.DeviceKind;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.RejectionReason;
import io.kerbside.ingest.store.SequenceTally;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every meter of the ingest role; names are {@code kerbside.ingest.*}, tags have fixed value sets.
 */
public final class IngestMetrics {
  private final Map<PayloadFormat, Counter> received = new EnumMap<>(PayloadFormat.class);
  private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
  private final Map<PayloadFormat, Map<DeviceKind, Counter>> sequenceLost =
      new EnumMap<>(PayloadFormat.class);
  private final Map<PayloadFormat, Map<DeviceKind, Counter>> sequenceRecovered =
      new EnumMap<>(PayloadFormat.class);
  private final Map<PayloadFormat, Map<DeviceKind, Counter>> sequenceResets =
      new EnumMap<>(PayloadFormat.class);
  private final Counter receivedWithoutSubscription;
  private final Counter stored;
  private final Counter duplicates;
  private final Counter writeFailures;
  private final Timer batchWrite;
  private final DistributionSummary batchSize;
  private final Timer readingAge;
  private final MeterRegistry registry;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (PayloadFormat f : PayloadFormat.values()) {
      received.put(
          f,
          Counter.builder("kerbside.ingest.messages")
              .description("MQTT messages received")
              .tag("format", f.code())
              .register(registry));
    }
    // A topic no filter matches has no format; counted all the same, so that rejections stay a
    // share of the messages received.
    receivedWithoutSubscription =
        Counter.builder("kerbside.ingest.messages")
            .description("MQTT messages received")
            .tag("format", "none")
            .register(registry);
    for (RejectionReason r : RejectionReason.values()) {
      rejected.put(
          r,
          Counter.builder("kerbside.ingest.rejections")
              .description("Messages or message elements sent to the dead-letter store")
              .tag("reason", r.code())
              .register(registry));
    }
    for (PayloadFormat f : PayloadFormat.values()) {
      if (f == PayloadFormat.SENML) {
        continue; // SenML carries no sequence number
      }
      sequenceLost.put(
          f,
          byKind(
              "kerbside.ingest.sequence.lost",
              "Messages missing from devices' sequence numbers (native seq, LoRaWAN frame"
                  + " counters) as their readings arrived",
              f));
      sequenceRecovered.put(
          f,
          byKind(
              "kerbside.ingest.sequence.recovered",
              "Late readings that filled a gap already counted as lost",
              f));
      sequenceResets.put(
          f,
          byKind(
              "kerbside.ingest.sequence.resets",
              "Sequence numbers that started again lower (device reboot, LoRaWAN rejoin)",
              f));
    }
    stored =
        Counter.builder("kerbside.ingest.readings")
            .description("Readings by outcome of the database write")
            .tag("outcome", "stored")
            .register(registry);
    duplicates =
        Counter.builder("kerbside.ingest.readings")
            .description("Readings by outcome of the database write")
            .tag("outcome", "duplicate")
            .register(registry);
    writeFailures =
        Counter.builder("kerbside.ingest.batch.failures")
            .description("Batch writes that failed and were retried")
            .register(registry);
    batchWrite =
        Timer.builder("kerbside.ingest.batch.write")
            .description("Time to write and commit one batch")
            .publishPercentileHistogram()
            .register(registry);
    batchSize =
        DistributionSummary.builder("kerbside.ingest.batch.size")
            .description("Messages per committed batch")
            .register(registry);
    readingAge =
        Timer.builder("kerbside.ingest.reading.age")
            .description(
                "Time from a reading's own timestamp to its commit (publish-to-commit latency for"
                    + " devices with a synchronised clock)")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
  }

  private Map<DeviceKind, Counter> byKind(String name, String description, PayloadFormat format) {
    Map<DeviceKind, Counter> counters = new EnumMap<>(DeviceKind.class);
    for (DeviceKind k : DeviceKind.values()) {
      counters.put(
          k,
          Counter.builder(name)
              .description(description)
              .tag("format", format.code())
              .tag("kind", k.code())
              .register(registry));
    }
    return counters;
  }

  public void received(PayloadFormat format) {
    received.get(format).increment();
  }

  /** Counts a message whose topic matches no subscription, under {@code format=none}. */
  public void receivedWithoutSubscription() {
    receivedWithoutSubscription.increment();
  }

  public void rejected(RejectionReason reason) {
    rejected.get(reason).increment();
  }

  public void written(int storedCount, int duplicateCount) {
    stored.increment(storedCount);
    duplicates.increment(duplicateCount);
  }

  /** Counts what a committed batch's sequence numbers said. */
  public void sequences(SequenceTally tally) {
    for (PayloadFormat f : sequenceLost.keySet()) {
      for (DeviceKind k : DeviceKind.values()) {
        increment(sequenceLost.get(f).get(k), tally.lost(f, k));
        increment(sequenceRecovered.get(f).get(k), tally.recovered(f, k));
        increment(sequenceResets.get(f).get(k), tally.resets(f, k));
      }
    }
  }

  private static void increment(Counter counter, long amount) {
    if (amount > 0) {
      counter.increment(amount);
    }
  }

  public void writeFailed() {
    writeFailures.increment();
  }

  public Timer batchWrite() {
    return batchWrite;
  }

  public void batch(int messages) {
    batchSize.record(messages);
  }

  /** Records one committed reading's age in nanoseconds; a negative age (clock skew) as zero. */
  public void readingAge(long ageNanos) {
    readingAge.record(Math.max(0, ageNanos), TimeUnit.NANOSECONDS);
  }

  /**
   * Adds a pipeline's live counts to the in-flight gauges, which show the sum over every pipeline
   * of the process (one per connection).
   */
  public void inFlight(Supplier<Number> messages, Supplier<Number> bytes) {
    inFlightMessages.add(messages);
    inFlightBytes.add(bytes);
    if (inFlightRegistered.compareAndSet(false, true)) {
      Gauge.builder("kerbside.ingest.inflight", inFlightMessages, IngestMetrics::sum)
          .description("Messages received and not yet acknowledged")
          .register(registry);
      Gauge.builder("kerbside.ingest.inflight.bytes", inFlightBytes, IngestMetrics::sum)
          .description("Payload bytes received and not yet acknowledged")
          .baseUnit("bytes")
          .register(registry);
    }
  }

  private static double sum(java.util.List<Supplier<Number>> sources) {
    double total = 0;
    for (Supplier<Number> s : sources) {
      total += s.get().doubleValue();
    }
    return total;
  }

  private final java.util.List<Supplier<Number>> inFlightMessages =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.List<Supplier<Number>> inFlightBytes =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicBoolean inFlightRegistered =
      new java.util.concurrent.atomic.AtomicBoolean();
}
