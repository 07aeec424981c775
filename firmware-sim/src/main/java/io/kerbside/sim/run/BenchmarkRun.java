package io.kerbside.sim.run;

import io.kerbside.core.DeviceKind;
import io.kerbside.sim.DeviceTally;
import io.kerbside.sim.ProgressListener;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimProgress;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.SimulationException;
import io.kerbside.sim.load.LoadPublisher;
import io.kerbside.sim.load.LoadReport;
import io.kerbside.sim.model.DeviceModels;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code benchmark} scenario: as many bin readings as the town's devices would send over the
 * simulated duration (one per device per 15 minutes), published as fast as the broker takes them
 * (or at the rate limit) by {@link LoadPublisher}, with per-device sequence numbers and the wall
 * clock as timestamps. No models, no faults; devices are named {@code bench-bin-00000}...
 *
 * <p>It publishes in rounds of whole fleets so that progress can be shown and {@link #stop()} takes
 * effect within a round.
 *
 * <p>The report and the ground truth count only what the broker confirmed: a reading published
 * again after a lost connection counts once, and one that failed for good is left out of its
 * device's readings (and counted in its {@code failed_sends}).
 */
public final class BenchmarkRun {
  private static final Logger LOG = LoggerFactory.getLogger(BenchmarkRun.class);
  private static final long READINGS_PER_ROUND = 50_000;

  private final SimConfig config;
  private final Instant start;
  private final GroundTruthLog log;
  private volatile boolean stopped;

  public BenchmarkRun(SimConfig config, Instant start, GroundTruthLog log) {
    this.config = config;
    this.start = start;
    this.log = log;
  }

  /** How many readings a benchmark of {@code devices} over {@code duration} publishes. */
  public static long readingsFor(int devices, Duration duration) {
    long interval = DeviceModels.reportInterval(DeviceKind.BIN).toMillis();
    return devices * Math.max(1, (duration.toMillis() + interval - 1) / interval);
  }

  public void stop() {
    stopped = true;
  }

  /**
   * @throws SimulationException when the broker cannot be reached
   */
  public SimReport run(ProgressListener listener) throws InterruptedException {
    PublishOptions p = config.publish();
    if (!p.username().isEmpty()) {
      LOG.warn("sim - benchmark publishes without credentials: the load publisher has none");
    }
    int devices = config.devices();
    long total = readingsFor(devices, config.duration());
    long perRound = Math.max(devices, READINGS_PER_ROUND / devices * devices);
    long published = 0;
    long sent = 0;
    long failed = 0;
    long resent = 0;
    long t0 = System.nanoTime();
    try (log;
        LoadPublisher publisher =
            LoadPublisher.builder(p.brokerUrl())
                .devices(devices)
                .kind(DeviceKind.BIN)
                .topicPrefix(p.topicPrefix())
                .qos(p.qos())
                .connections(p.sharedConnections())
                .clientIdPrefix(p.clientIdPrefix())
                .connect()) {
      log.runStarted(config, start, start.plus(config.duration()));
      while (published < total && !stopped) {
        long n = Math.min(perRound, total - published);
        LoadReport r = publisher.publish(n, p.maxRatePerSecond());
        published += n;
        sent += r.sent();
        failed += r.failed();
        resent += r.resent();
        long elapsed = Math.max(1, System.nanoTime() - t0);
        listener.progress(
            new SimProgress(
                start.plus(config.duration().multipliedBy(published).dividedBy(total)),
                (double) published / total,
                published,
                sent,
                failed,
                0,
                Duration.ofNanos(elapsed),
                sent * 1e9 / elapsed));
      }
      Map<String, DeviceTally> perDevice = new LinkedHashMap<>();
      for (int d = 0; d < devices; d++) {
        long attempted = published / devices + (d < published % devices ? 1 : 0);
        long lost = publisher.failedSends(d);
        DeviceTally t = new DeviceTally(attempted - lost, 0, 0, 0, 0, lost);
        perDevice.put(publisher.deviceId(d), t);
        log.tally(publisher.deviceId(d), DeviceKind.BIN.code(), t);
      }
      long elapsed = Math.max(1, System.nanoTime() - t0);
      Instant simEnd = start.plus(config.duration().multipliedBy(published).dividedBy(total));
      SimReport report =
          new SimReport(
              sent,
              failed,
              resent,
              Duration.ofNanos(elapsed),
              sent * 1e9 / elapsed,
              Map.of(),
              perDevice,
              config.scenario(),
              start,
              simEnd,
              Map.of(),
              Map.of(),
              published < total);
      log.summary(report);
      return report;
    } catch (MqttException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new SimulationException(
          "cannot connect to the broker at " + p.brokerUrl() + ": " + cause.getMessage(), e);
    }
  }
}
