package io.kerbside.app.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real MQTT broker (Moquette) on the loopback interface, with persistent sessions stored in a
 * directory of the demo. Anonymous clients are allowed: it listens on 127.0.0.1 only.
 */
final class EmbeddedBroker implements AutoCloseable {
  private final Server server;
  private final int port;

  private EmbeddedBroker(Server server, int port) {
    this.server = server;
    this.port = port;
  }

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
    return new EmbeddedBroker(server, port);
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
