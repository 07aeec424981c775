package io.kerbside.app.demo;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT broker (Moquette) with persistent sessions stored in a directory of the demo, behind
 * a front door ({@link MqttVersionBridge}) that also accepts MQTT 5 clients, which Moquette 0.17
 * refuses.
 *
 * <p>Everything listens on the loopback interface (127.0.0.1) only, so only programs on this
 * machine can connect: that is why anonymous clients are allowed, as are clients that send no
 * client id (MQTT 3.1.1 permits it with a clean session; {@code mosquitto_pub} does it by default).
 */
final class EmbeddedBroker implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  private static final long BIND_REPORT_TIMEOUT_MS = 10_000;
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final Server server;
  private final int directPort;
  private final MqttVersionBridge frontDoor;

  private EmbeddedBroker(Server server, int directPort, MqttVersionBridge frontDoor) {
    this.server = server;
    this.directPort = directPort;
    this.frontDoor = frontDoor;
  }

  /**
   * @param port the port clients connect to; 0 picks a free one ({@link #url()} names it)
   */
  static EmbeddedBroker start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    Properties p = new Properties();
    p.setProperty(IConfig.HOST_PROPERTY_NAME, HOST);
    p.setProperty(IConfig.PORT_PROPERTY_NAME, "0");
    p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    p.setProperty(BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "true");
    p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
    p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dataDir.toAbsolutePath().toString());
    p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
    Server server = new Server();
    server.startServer(new MemoryConfig(p));
    try {
      int direct = boundPort(server);
      MqttVersionBridge frontDoor =
          MqttVersionBridge.start(
              HOST, port, new InetSocketAddress(HOST, direct), MAX_MESSAGE_BYTES);
      return new EmbeddedBroker(server, direct, frontDoor);
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

  /** The URL clients connect to with MQTT 3.1, 3.1.1 or 5. */
  String url() {
    return "tcp://" + HOST + ":" + frontDoor.port();
  }

  /**
   * Moquette's own listener (MQTT 3.1 and 3.1.1 only), for Kerbside and the simulator in this
   * process: their messages take no detour through the front door.
   */
  String directUrl() {
    return "tcp://" + HOST + ":" + directPort;
  }

  @Override
  public void close() {
    frontDoor.close();
    server.stopServer();
  }
}
