package io.kerbside.bench.reference;

import io.kerbside.bench.BenchmarkException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference (a) run as a child JVM ({@link CountingSubscriberProcess}) with this process's class
 * path and the given JVM options; its counts are read from its standard output, its log goes to a
 * file.
 */
public final class CountingChild implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CountingChild.class);

  private final Process process;
  private final ArrivalCounter received = new ArrivalCounter();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Path log;

  private CountingChild(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the child and returns once it has subscribed.
   *
   * @throws BenchmarkException when it exits or does not subscribe within 30 s
   */
  public static CountingChild start(
      List<String> jvmOptions, String mqttUrl, String clientId, String topicFilter, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            CountingSubscriberProcess.class.getName(),
            mqttUrl,
            clientId,
            topicFilter));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(log.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    CountingChild child = new CountingChild(pb.start(), log);
    LOG.info("(a) counting subscriber - child JVM pid {}", child.pid());
    Thread reader = new Thread(child::readCounts, "counting-child-reader");
    reader.setDaemon(true);
    reader.start();
    if (!child.ready.await(30, TimeUnit.SECONDS)) {
      child.close();
      throw new BenchmarkException(
          "the counting subscriber (a) did not subscribe within 30 s; see " + log);
    }
    if (!child.process.isAlive()) {
      throw new BenchmarkException(
          "the counting subscriber (a) exited with status "
              + child.process.exitValue()
              + "; see "
              + log);
    }
    return child;
  }

  private void readCounts() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("ready")) {
          ready.countDown();
        } else if (line.startsWith("count ")) {
          String[] f = line.split(" ");
          received.update(Long.parseLong(f[1]), Long.parseLong(f[2]));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("(a) counting subscriber - output ended: {}", e.getMessage());
    } finally {
      ready.countDown();
    }
  }

  public long pid() {
    return process.pid();
  }

  /** The messages received so far, and when the latest arrived. */
  public ArrivalCounter received() {
    return received;
  }

  /** Closes the child's input, which makes it disconnect and exit; kills it after 10 s. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      if (Files.size(log) == 0) {
        Files.delete(log);
      }
    } catch (IOException e) {
      LOG.debug("(a) counting subscriber - log {}: {}", log, e.getMessage());
    }
  }
}
