package io.kerbside.app.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code kerbside} process started from the test classpath, with its output in a file. Its
 * HTTP endpoints listen on a port the system picks ({@code KERBSIDE_HTTP_PORT=0}), which the
 * process names in its start-up log; so parallel runs and other programs on the machine never
 * collide with it.
 */
final class IngestProcess implements AutoCloseable {
  /**
   * The line {@code KerbsideProcess} logs once its HTTP server is bound; only a whole line counts,
   * so that a port half written is never read.
   */
  private static final Pattern LISTENING =
      Pattern.compile("http - /metrics\\b[^\\n]* on http://\\S+:(\\d+)\\r?\\n");

  private final Process process;
  private final Path log;
  private volatile int httpPort = -1;

  private IngestProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static IngestProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.kerbside.app.cli.KerbsideCli");
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile("kerbside-it-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("KERBSIDE_") && !k.startsWith("KERBSIDE_TEST_"));
    pb.environment().putAll(env);
    pb.environment().put("KERBSIDE_HTTP_PORT", "0");
    return new IngestProcess(pb.start(), log);
  }

  /**
   * The port of the process's HTTP endpoints, or -1 while it has not bound them yet (or never will:
   * a command without a server, a failed start).
   */
  int httpPort() throws IOException {
    if (httpPort < 0) {
      Matcher m = LISTENING.matcher(output());
      if (m.find()) {
        httpPort = Integer.parseInt(m.group(1));
      }
    }
    return httpPort;
  }

  /** True once {@code /ready} answers 200. */
  boolean ready() {
    try {
      int port = httpPort();
      if (port < 0) {
        return false;
      }
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, then waits for the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    return process.waitFor();
  }

  int waitForExit() throws InterruptedException {
    return process.waitFor();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      kill();
    }
    Files.deleteIfExists(log);
  }
}
