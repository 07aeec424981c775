package io.kerbside.bench.reference;

import io.kerbside.bench.BenchmarkException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference (c): Node-RED running the flow of {@code bench/node-red/flows.json} - an MQTT-in node
 * (QoS 1, clean session) wired to a function node that runs {@code INSERT INTO bench_nodered ... ON
 * CONFLICT (device, ts) DO NOTHING} per message through a {@code pg} pool. Node-RED acknowledges a
 * message when it arrives, before its row is written; the flow counts rows written and failed, and
 * serves both at {@code /kerbside-bench/progress}, which this class polls every 50 ms.
 */
public final class NodeRedFlow implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRedFlow.class);
  private static final long POLL_MS = 50;

  private final Process process;
  private final Path userDir;
  private final Path log;
  private final URI progress;
  private final ArrivalCounter stored = new ArrivalCounter();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private volatile long failed;
  private volatile boolean closed;

  private NodeRedFlow(Process process, Path userDir, Path log, int httpPort) {
    this.process = process;
    this.userDir = userDir;
    this.log = log;
    this.progress = URI.create("http://127.0.0.1:" + httpPort + "/kerbside-bench/progress");
  }

  /**
   * Starts Node-RED from {@code home} (a directory where {@code npm ci} installed {@code
   * bench/node-red/package.json}) with the flow and settings of {@code flowDir}, copied into a
   * fresh user directory inside {@code home} so that {@code require('pg')} resolves there. Returns
   * once the flow's HTTP endpoint answers and its broker node has connected.
   *
   * @param env the settings read by {@code settings.js}: {@code KB_*} and {@code PG*}
   * @throws BenchmarkException when Node-RED exits or is not ready within 60 s
   */
  public static NodeRedFlow start(
      Path home, Path flowDir, Map<String, String> env, int httpPort, Path log)
      throws IOException, InterruptedException {
    Path userDir = Files.createTempDirectory(home, "run-");
    for (String file : List.of("flows.json", "settings.js")) {
      Files.copy(flowDir.resolve(file), userDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add(home.resolve("node_modules/node-red/red.js").toString());
    command.addAll(List.of("--settings", userDir.resolve("settings.js").toString()));
    command.addAll(List.of("--userDir", userDir.toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("KB_HTTP_PORT", Integer.toString(httpPort));
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    NodeRedFlow flow = new NodeRedFlow(pb.start(), userDir, log, httpPort);
    LOG.info("(c) Node-RED - pid {}: {} (log {})", flow.pid(), String.join(" ", command), log);
    try {
      flow.awaitConnected(Duration.ofSeconds(60));
    } catch (RuntimeException | InterruptedException e) {
      flow.close();
      throw e;
    }
    Thread poller = new Thread(flow::poll, "node-red-progress");
    poller.setDaemon(true);
    poller.start();
    return flow;
  }

  private void awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new BenchmarkException(
            "Node-RED exited with status " + process.exitValue() + "; see " + log);
      }
      if (logContains("Connected to broker") && fetchProgress() != null) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new BenchmarkException(
        "Node-RED did not connect to the broker within " + timeout.toSeconds() + " s; see " + log);
  }

  private boolean logContains(String text) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** {stored, failed} from the flow, or null when it does not answer. */
  private long[] fetchProgress() throws InterruptedException {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(progress).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        return null;
      }
      String[] f = r.body().trim().split(" ");
      return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void poll() {
    try {
      while (!closed) {
        long[] p = fetchProgress();
        long now = System.nanoTime();
        if (p != null) {
          stored.update(p[0], now);
          failed = p[1];
        }
        TimeUnit.MILLISECONDS.sleep(POLL_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Rows written so far, and when the poll first saw the latest (late by at most one poll, 50 ms).
   */
  public ArrivalCounter stored() {
    return stored;
  }

  /** Inserts that failed. */
  public long failed() {
    return failed;
  }

  /** Stops Node-RED (SIGTERM, SIGKILL after 10 s) and deletes its user directory. */
  @Override
  public void close() {
    closed = true;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(userDir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.debug("(c) Node-RED - could not delete {}: {}", userDir, e.getMessage());
    }
  }
}
