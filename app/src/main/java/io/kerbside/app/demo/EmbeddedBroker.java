package io.kerbside.app.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT broker (Moquette) on the loopback interface, with persistent sessions stored in a
 * directory of the demo. Anonymous clients are allowed: it listens on 127.0.0.1 only.
 */
final class EmbeddedBroker implements AutoCloseable {
  private static final long BIND_REPORT_TIMEOUT_MS = 10_000;

  private final Server server;
  private final int port;

  private EmbeddedBroker(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * @param port the port to listen on; 0 picks a free one ({@link #url()} names it)
   */
  static EmbeddedBroker start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    Properties p = new Properties();
    p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
    p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
    p.setProperty(
        IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, io.moquette.BrokerConstants.DISABLED_PORT_BIND);
    p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
    p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toAbsolutePath().toString());
    p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(1 << 20));
    Server server = new Server();
    server.startServer(new MemoryConfig(p));
    try {
      return new EmbeddedBroker(server, boundPort(server));
    } catch (IOException | RuntimeException e) {
      server.stopServer();
      throw e;
    }
  }

  /**
   * The port the listener is bound to. Moquette learns it from a listener on the bind that may run
   * just after {@code startServer} has returned, and reports 0 until then.
   */
  private static int boundPort(Server server) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BIND_REPORT_TIMEOUT_MS);
    int bound = server.getPort();
    while (bound == 0) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the embedded MQTT broker did not report its port within "
                + BIND_REPORT_TIMEOUT_MS
                + " ms");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while the embedded MQTT broker started", e);
      }
      bound = server.getPort();
    }
    return bound;
  }

  /** The URL clients connect to, with the port the broker is bound to. */
  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
