package io.kerbside.bench.process;

import io.kerbside.bench.BenchmarkException;
import io.kerbside.bench.metrics.PrometheusScrape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Kerbside ingest, run from the distribution jar as a child JVM ({@code java <jvmOptions>
 * -jar kerbside.jar ingest --migrate}), its output going to a log file. Talks to it only through
 * its operational HTTP endpoints and {@code /proc}, as an operator would.
 */
public final class IngestChild implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestChild.class);

  private final Process process;
  private final Path log;
  private final URI base;
  private final Path jarCopy;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private IngestChild(Process process, Path log, int httpPort, Path jarCopy) {
    this.process = process;
    this.log = log;
    this.base = URI.create("http://127.0.0.1:" + httpPort);
    this.jarCopy = jarCopy;
  }

  /**
   * Starts the child from a private copy of {@code jar}. Every {@code KERBSIDE_*} variable of this
   * process is removed from its environment, so that only {@code env} configures it.
   *
   * @param env the child's {@code KERBSIDE_*} settings; must set {@code KERBSIDE_HTTP_PORT}
   */
  public static IngestChild start(
      Path jar, List<String> jvmOptions, Map<String, String> env, Path log) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new BenchmarkException(
          jar + " does not exist; build it first: mvn -B -q -ntp -DskipTests install");
    }
    int port = Integer.parseInt(env.get("KERBSIDE_HTTP_PORT"));
    Path copy = stableCopy(jar);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", copy.toString(), "ingest", "--migrate"));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("KERBSIDE_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
    LOG.info("ingest child - pid {}: {} (log {})", p.pid(), String.join(" ", command), log);
    return new IngestChild(p, log, port, copy);
  }

  /**
   * Copies the jar to a temporary file, so that a build running meanwhile cannot rewrite it under
   * the child's feet; copies again while the jar changes during the copy.
   */
  private static Path stableCopy(Path jar) throws IOException {
    Path copy = Files.createTempFile("kerbside-bench-", ".jar");
    try {
      for (int attempt = 1; ; attempt++) {
        FileTime before = Files.getLastModifiedTime(jar);
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        if (before.equals(Files.getLastModifiedTime(jar)) && Files.size(jar) == Files.size(copy)) {
          return copy;
        }
        if (attempt == 5) {
          throw new BenchmarkException(
              jar + " keeps changing (a build is running?); try again later");
        }
        LOG.info("ingest child - {} changed while being copied; copying again", jar);
        Thread.sleep(3_000);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      throw e;
    } catch (InterruptedException e) {
      Files.deleteIfExists(copy);
      Thread.currentThread().interrupt();
      throw new BenchmarkException("interrupted while copying " + jar, e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /**
   * Waits until {@code /ready} answers 200.
   *
   * @throws BenchmarkException when the child exits or is not ready within {@code timeout}
   */
  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      requireAlive("while starting");
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(base.resolve("/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        LOG.trace("ingest child - not answering yet: {}", e.getMessage());
      }
      if (System.nanoTime() > deadline) {
        throw new BenchmarkException(
            "the ingest child was not ready within "
                + timeout.toSeconds()
                + " s; see "
                + log
                + "\n"
                + logTail(20));
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /**
   * Fetches and parses {@code /metrics}.
   *
   * @throws BenchmarkException when the child has exited or does not answer
   */
  public PrometheusScrape scrape() throws InterruptedException {
    requireAlive("during the run");
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(base.resolve("/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        throw new BenchmarkException("GET /metrics of the ingest child answered " + r.statusCode());
      }
      return PrometheusScrape.parse(r.body());
    } catch (IOException e) {
      requireAlive("during the run");
      throw new BenchmarkException("GET /metrics of the ingest child failed: " + e, e);
    }
  }

  /** Peak resident set size so far in bytes ({@code VmHWM}); -1 when unknown. */
  public long peakRssBytes() {
    return ProcStats.peakRssBytes(process.pid());
  }

  /** CPU ticks used so far; see {@link ProcStats#processTicks}. */
  public long cpuTicks() {
    return ProcStats.processTicks(process.pid());
  }

  /**
   * @throws BenchmarkException when the child has exited
   */
  public void requireAlive(String when) {
    if (!process.isAlive()) {
      throw new BenchmarkException(
          "the ingest child exited with status "
              + process.exitValue()
              + " "
              + when
              + "; see "
              + log
              + "\n"
              + logTail(20));
    }
  }

  /**
   * Sends SIGTERM and waits for the child to finish its shutdown (it commits and acknowledges what
   * is in flight); kills it after {@code timeout}.
   *
   * @return the exit status; 143 is the normal outcome of SIGTERM for a JVM
   */
  public int stop(Duration timeout) throws InterruptedException {
    if (!process.isAlive()) {
      deleteJarCopy();
      return process.exitValue();
    }
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warn("ingest child - still running {} s after SIGTERM; killing it", timeout.toSeconds());
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    deleteJarCopy();
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** The lines of the child's log at level WARN or ERROR (its pattern puts the level second). */
  public List<String> loggedProblems() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
          .toList();
    } catch (IOException e) {
      return List.of("(log unreadable: " + e.getMessage() + ")");
    }
  }

  /** The last {@code lines} lines of the child's log, for error messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Stops the child if it still runs (SIGTERM, SIGKILL after 20 s); for error paths. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    deleteJarCopy();
  }

  private void deleteJarCopy() {
    try {
      Files.deleteIfExists(jarCopy);
    } catch (IOException e) {
      LOG.debug("ingest child - could not delete {}: {}", jarCopy, e.getMessage());
    }
  }
}
