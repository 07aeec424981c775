package io.kerbside.core.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto of the test's own, started as a child process on free loopback ports and stopped on
 * {@link #close()}: a plain listener for test publishers and a TLS listener with the given
 * certificate. Anonymous clients are allowed on both.
 */
public final class TestMosquitto implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int plainPort;
  private final int tlsPort;

  private TestMosquitto(Process process, Path log, int plainPort, int tlsPort) {
    this.process = process;
    this.log = log;
    this.plainPort = plainPort;
    this.tlsPort = tlsPort;
  }

  /**
   * Starts Mosquitto in {@code dir}.
   *
   * @param caFile the CA that client certificates must chain to
   * @param server the broker's certificate and key
   * @param requireClientCertificate whether the TLS listener refuses clients without one
   */
  public static TestMosquitto start(
      Path dir, Path caFile, TestCertificates.Issued server, boolean requireClientCertificate)
      throws IOException, InterruptedException {
    int plain = freePort();
    int tls = freePort();
    Path conf = dir.resolve("mosquitto-" + tls + ".conf");
    Path log = dir.resolve("mosquitto-" + tls + ".log");
    Files.writeString(
        conf,
        String.join(
            "\n",
            // as root, Mosquitto would otherwise switch to its own user, who cannot read the test's
            // directory
            "user root",
            "per_listener_settings false",
            "allow_anonymous true",
            "persistence false",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "listener " + plain + " 127.0.0.1",
            "listener " + tls + " 127.0.0.1",
            "cafile " + caFile,
            "certfile " + server.cert(),
            "keyfile " + server.key(),
            "require_certificate " + requireClientCertificate,
            ""),
        StandardCharsets.US_ASCII);
    Process p =
        new ProcessBuilder("mosquitto", "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    TestMosquitto broker = new TestMosquitto(p, log, plain, tls);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!(listening(plain) && listening(tls))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        broker.close();
        throw new IOException("mosquitto did not start: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return broker;
  }

  /** {@code tcp://127.0.0.1:<port>} of the plain listener. */
  public String plainUrl() {
    return "tcp://127.0.0.1:" + plainPort;
  }

  /** The port of the TLS listener. */
  public int tlsPort() {
    return tlsPort;
  }

  /** What the broker logged so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
