package io.kerbside.sim.run;

import io.kerbside.core.Metric;
import io.kerbside.sim.Checkpoints;
import io.kerbside.sim.DeviceTally;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.ProgressListener;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimProgress;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.encode.Malformation;
import io.kerbside.sim.encode.ReadingEncoder;
import io.kerbside.sim.fault.DeliveryPlanner;
import io.kerbside.sim.fault.FaultInjector;
import io.kerbside.sim.fault.PlannedFault;
import io.kerbside.sim.model.DeviceModel;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.publish.MessageSink;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.Town;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of a simulated town: visits every device at its reporting instants in simulated time
 * order, paced against the real clock by the speed; advances its model, applies its faults and
 * hands the encoded reading (or readings, or mangled bytes) to the sink; and writes what happened
 * to the ground truth.
 *
 * <p>{@link #run} is called once, by one thread; {@link #stop()} may be called from any thread.
 * Memory is bounded by the number of devices: one queue entry, one held-back reading and a few
 * counters per device.
 */
public final class SimulationRun {
  private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final Duration BURST_SPACING = Duration.ofMillis(100);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DRAIN_TIMEOUT_WHEN_STOPPED = Duration.ofSeconds(10);

  private final SimConfig config;
  private final Town town;
  private final Instant start;
  private final Instant end;
  private final long durationMs;
  private final DeviceModel[] models;
  private final FaultInjector injector;
  private final DeliveryPlanner delivery;
  private final ReadingEncoder encoder;
  private final MessageSink sink;
  private final GroundTruthLog log;
  private final Clock wallClock;
  private final Checkpoints checkpoints;

  private final String[] topics;
  private final long[] intervalMs;
  private final long[] seq;
  private final SimReading[] held;
  private final long[] readings;
  private final long[] firstSeq;
  private final long[] lastSeq;
  private final long[] duplicates;
  private final long[] malformed;
  private final long[] future;
  private final long[] outOfRange;
  private final long[] outOfRangePartlyStored;
  private final Map<String, Long> expectedRejections = new TreeMap<>();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private volatile boolean stopped;
  private long queued;
  private long lastProgressNanos;

  /**
   * @param models the devices' models by index, fresh (never advanced)
   * @param plan the device faults, ordered by start
   * @param wallClock the real clock, used only to put skewed timestamps in the future of whoever
   *     receives them
   * @param checkpoints where to pause ({@link Checkpoints#NONE} for nowhere)
   */
  public SimulationRun(
      SimConfig config,
      Town town,
      Instant start,
      DeviceModel[] models,
      List<PlannedFault> plan,
      DeliveryPlanner delivery,
      ReadingEncoder encoder,
      MessageSink sink,
      GroundTruthLog log,
      Clock wallClock,
      Checkpoints checkpoints) {
    this.config = config;
    this.town = town;
    this.start = start;
    this.end = start.plus(config.duration());
    this.durationMs = config.duration().toMillis();
    this.models = models;
    this.injector = new FaultInjector(plan, models, Seeds.mix(config.seed(), Seeds.DELIVERY));
    this.delivery = delivery;
    this.encoder = encoder;
    this.sink = sink;
    this.log = log;
    this.wallClock = wallClock;
    this.checkpoints = checkpoints;
    int n = town.size();
    this.topics = new String[n];
    this.intervalMs = new long[n];
    for (int d = 0; d < n; d++) {
      topics[d] = encoder.topic(config.publish().topicPrefix(), town.asset(d));
      intervalMs[d] = models[d].reportInterval().toMillis();
    }
    this.seq = new long[n];
    this.held = new SimReading[n];
    this.readings = new long[n];
    this.firstSeq = new long[n];
    this.lastSeq = new long[n];
    this.duplicates = new long[n];
    this.malformed = new long[n];
    this.future = new long[n];
    this.outOfRange = new long[n];
    this.outOfRangePartlyStored = new long[n];
  }

  /** Ends the run soon: {@link #run} stops sending, waits briefly for confirmations and returns. */
  public void stop() {
    stopped = true;
    sink.abort();
    stopSignal.countDown();
  }

  /**
   * Runs to the end of the simulated duration or until {@link #stop()}; opens and closes the sink
   * and the ground truth.
   *
   * @throws io.kerbside.sim.SimulationException when the sink cannot connect or the ground truth
   *     cannot be written
   * @throws InterruptedException when interrupted; the sink and ground truth are closed
   */
  public SimReport run(ProgressListener listener) throws InterruptedException {
    long t0 = System.nanoTime();
    lastProgressNanos = t0;
    boolean completed = false;
    long reachedMs = 0;
    try (log) {
      log.runStarted(config, start, end);
      sink.open();
      try {
        DueQueue queue = new DueQueue(town.size());
        for (int d = 0; d < town.size(); d++) {
          queue.add(Math.floorMod(Seeds.mix(config.seed(), Seeds.MODEL + d), intervalMs[d]), d);
        }
        int sinceCheck = 0;
        java.util.Iterator<Instant> pauses =
            checkpoints.instants().stream().filter(p -> !p.isBefore(start)).iterator();
        Instant pause = pauses.hasNext() ? pauses.next() : null;
        while (!stopped) {
          long offsetMs = queue.peekOffsetMs();
          while (pause != null
              && pause.isBefore(end)
              && !start.plusMillis(Math.min(offsetMs, durationMs)).isBefore(pause)) {
            releaseAllHeld();
            sink.drain(DRAIN_TIMEOUT);
            checkpoints.reached(pause, storedSoFar());
            pause = pauses.hasNext() ? pauses.next() : null;
          }
          if (offsetMs >= durationMs) {
            completed = true;
            break;
          }
          if (config.speed() > 0
              && !waitUntil(
                  t0 + (long) (offsetMs * 1e6 / config.speed()), listener, t0, offsetMs)) {
            break;
          }
          int d = queue.pollDevice();
          Instant at = start.plusMillis(offsetMs);
          reachedMs = offsetMs;
          for (PlannedFault f : injector.startDue(at)) {
            if (f.type() != FaultType.IMPOSSIBLE_SPIKE) {
              log.deviceFault(f);
            }
          }
          report(d, at);
          queue.add(offsetMs + intervalMs[d], d);
          if (++sinceCheck == 64) {
            sinceCheck = 0;
            long now = System.nanoTime();
            if (now - lastProgressNanos >= PROGRESS_EVERY_NANOS) {
              lastProgressNanos = now;
              listener.progress(progress(t0, offsetMs));
            }
          }
        }
        Instant simEnd = completed ? end : start.plusMillis(reachedMs);
        releaseAllHeld();
        for (DeviceModel m : models) {
          m.finish(simEnd, log);
        }
        sink.drain(stopped ? DRAIN_TIMEOUT_WHEN_STOPPED : DRAIN_TIMEOUT);
        SimReport report = report(t0, simEnd, !completed);
        for (Asset a : town.assets()) {
          String id = a.deviceId().value();
          log.tally(id, a.kind().code(), report.perDevice().get(id));
        }
        log.summary(report);
        listener.progress(progress(t0, completed ? durationMs : reachedMs));
        return report;
      } finally {
        sink.close();
      }
    }
  }

  /** Sends every reading held back for the out-of-order fault. */
  private void releaseAllHeld() throws InterruptedException {
    for (int d = 0; d < held.length; d++) {
      if (held[d] != null) {
        sendReading(d, held[d]);
        held[d] = null;
      }
    }
  }

  /** The distinct readings sent so far that Kerbside should store. */
  private long storedSoFar() {
    long n = 0;
    for (long r : readings) {
      n += r;
    }
    return n;
  }

  /** Waits until {@code dueNanos}, telling the listener on the way; false when stopped. */
  private boolean waitUntil(long dueNanos, ProgressListener listener, long t0, long offsetMs)
      throws InterruptedException {
    while (true) {
      long now = System.nanoTime();
      if (now - lastProgressNanos >= PROGRESS_EVERY_NANOS) {
        lastProgressNanos = now;
        listener.progress(progress(t0, offsetMs));
      }
      if (now >= dueNanos) {
        return !stopped;
      }
      long wait = Math.min(dueNanos - now, PROGRESS_EVERY_NANOS);
      if (stopSignal.await(wait, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
  }

  /** Device {@code d} reports at {@code at}. */
  private void report(int d, Instant at) throws InterruptedException {
    injector.expire(d, at);
    double[] values = SimReading.blankValues();
    models[d].advanceTo(at, values, log);
    long s = ++seq[d];
    if (injector.offline(d) || injector.lost(d, s)) {
      return;
    }
    PlannedFault spike = injector.applySensorFaults(d, at, values);
    SimReading r = new SimReading(town.asset(d), at, s, values);
    if (spike != null) {
      sendSpike(d, r, spike);
      releaseHeld(d, at);
      return;
    }
    FaultType fault = delivery.draw(d);
    if (fault == null) {
      sendReading(d, r);
      releaseHeld(d, at);
      return;
    }
    switch (fault) {
      case DUPLICATE -> {
        byte[] bytes = encoder.encode(r);
        if (send(d, bytes)) {
          stored(d, r.seq());
          if (send(d, bytes)) {
            duplicates[d]++;
            log.duplicate(r);
          }
        }
      }
      case OUT_OF_ORDER -> {
        if (held[d] == null) {
          held[d] = r;
          return;
        }
        sendReading(d, r);
      }
      case CLOCK_SKEW -> {
        Duration skew = delivery.skew(d);
        Instant wall = wallClock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant ts = (at.isAfter(wall) ? at : wall).plus(skew);
        if (send(d, encoder.encode(r.withAt(ts)))) {
          future[d]++;
          rejected("future_timestamp");
          log.clockSkew(r, ts, skew);
        }
      }
      case MALFORMED -> {
        Malformation how = delivery.malformation(d);
        if (send(d, encoder.encodeMalformed(r, how))) {
          malformed[d]++;
          rejected(how.expectedReason());
          log.malformed(r, how);
        }
      }
      case BURST -> {
        sendReading(d, r);
        int extra = delivery.burstReadings(d);
        Instant t = at;
        for (int i = 1; i <= extra; i++) {
          t = at.plus(BURST_SPACING.multipliedBy(i));
          double[] v = SimReading.blankValues();
          models[d].advanceTo(t, v, log);
          long bs = ++seq[d];
          PlannedFault burstSpike = injector.applySensorFaults(d, t, v);
          SimReading b = new SimReading(town.asset(d), t, bs, v);
          if (burstSpike != null) {
            sendSpike(d, b, burstSpike);
          } else {
            sendReading(d, b);
          }
        }
        log.burst(town.asset(d), at.plus(BURST_SPACING), t, extra);
      }
      default -> throw new IllegalStateException("not a delivery fault: " + fault);
    }
    releaseHeld(d, at);
  }

  private void sendSpike(int d, SimReading r, PlannedFault spike) throws InterruptedException {
    if (send(d, encoder.encode(r))) {
      outOfRange[d]++;
      rejected("out_of_range");
      boolean partlyStored = encoder.rejectsValuesAlone() && hasOtherValue(r, spike.metric());
      if (partlyStored) {
        stored(d, r.seq());
        outOfRangePartlyStored[d]++;
      }
      log.spike(spike, r, partlyStored);
    }
  }

  /** True when {@code r} reports a metric other than {@code metric}. */
  private static boolean hasOtherValue(SimReading r, Metric metric) {
    for (Metric m : Metric.values()) {
      if (m != metric && m.appliesTo(r.asset().kind()) && !Double.isNaN(r.value(m))) {
        return true;
      }
    }
    return false;
  }

  private void sendReading(int d, SimReading r) throws InterruptedException {
    if (send(d, encoder.encode(r))) {
      stored(d, r.seq());
    }
  }

  /** Sends the reading device {@code d} held back, now that a later one has gone. */
  private void releaseHeld(int d, Instant after) throws InterruptedException {
    SimReading r = held[d];
    if (r == null) {
      return;
    }
    held[d] = null;
    if (send(d, encoder.encode(r))) {
      stored(d, r.seq());
      log.outOfOrder(r, after);
    }
  }

  /** Device {@code d} sent a reading Kerbside should store, numbered {@code s}. */
  private void stored(int d, long s) {
    readings[d]++;
    firstSeq[d] = firstSeq[d] == 0 ? s : Math.min(firstSeq[d], s);
    lastSeq[d] = Math.max(lastSeq[d], s);
  }

  private boolean send(int d, byte[] payload) throws InterruptedException {
    boolean taken = sink.send(d, topics[d], payload);
    if (taken) {
      queued++;
    }
    return taken;
  }

  private void rejected(String reason) {
    expectedRejections.merge(reason, 1L, Long::sum);
  }

  private SimProgress progress(long t0, long offsetMs) {
    long elapsedNanos = Math.max(1, System.nanoTime() - t0);
    long sent = sink.sent();
    return new SimProgress(
        start.plusMillis(offsetMs),
        Math.min(1, (double) offsetMs / durationMs),
        queued,
        sent,
        sink.failed(),
        log.totalFaults(),
        Duration.ofNanos(elapsedNanos),
        sent * 1e9 / elapsedNanos);
  }

  private SimReport report(long t0, Instant simEnd, boolean stoppedEarly) {
    Map<String, DeviceTally> perDevice = new LinkedHashMap<>();
    for (int d = 0; d < town.size(); d++) {
      perDevice.put(
          town.asset(d).deviceId().value(),
          new DeviceTally(
              readings[d],
              duplicates[d],
              malformed[d],
              future[d],
              outOfRange[d],
              outOfRangePartlyStored[d],
              sink.failed(d),
              firstSeq[d],
              lastSeq[d]));
    }
    long elapsedNanos = Math.max(1, System.nanoTime() - t0);
    long sent = sink.sent();
    return new SimReport(
        sent,
        sink.failed(),
        0,
        Duration.ofNanos(elapsedNanos),
        sent * 1e9 / elapsedNanos,
        log.faults(),
        perDevice,
        config.scenario(),
        start,
        simEnd,
        log.conditions(),
        expectedRejections,
        stoppedEarly);
  }
}
