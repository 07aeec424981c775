package io.kerbside.app.demo;

import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.worklists.WorklistsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services the demo runs on: the database and broker named by {@code KERBSIDE_DB_URL} and
 * {@code KERBSIDE_MQTT_URL} when they are set, otherwise an embedded PostgreSQL and an embedded
 * MQTT broker whose data persist in {@code dataDir}.
 */
public final class DemoEnvironment implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoEnvironment.class);

  private final Settings settings;
  private final List<AutoCloseable> started;
  private final String databaseDescription;
  private final String brokerDescription;
  private final EmbeddedPostgresServer embeddedDatabase;

  private DemoEnvironment(
      Settings settings,
      List<AutoCloseable> started,
      String database,
      String broker,
      EmbeddedPostgresServer embeddedDatabase) {
    this.settings = settings;
    this.started = started;
    this.databaseDescription = database;
    this.brokerDescription = broker;
    this.embeddedDatabase = embeddedDatabase;
  }

  /** The login the demo gives Grafana on its embedded database: read-only, for this machine. */
  public static final String GRAFANA_USER = "grafana";

  /** The password of {@link #GRAFANA_USER}; the embedded database listens on 127.0.0.1 only. */
  public static final String GRAFANA_PASSWORD = "grafana";

  /**
   * Where Grafana finds the embedded database ({@code host:port}, database name), or empty when the
   * demo uses a database named by {@code KERBSIDE_DB_URL}.
   */
  public java.util.Optional<String[]> embeddedDatabaseAddress() {
    return embeddedDatabase == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(new String[] {"127.0.0.1:" + embeddedDatabase.port(), "postgres"});
  }

  /**
   * Creates the login {@link #GRAFANA_USER} as a member of {@code kerbside_grafana} (the read-only
   * role the migrations create) on the embedded database, once the migrations have run. Nothing is
   * done on a database named by {@code KERBSIDE_DB_URL}: its logins are its owner's business.
   *
   * @return whether the login exists now
   */
  public boolean ensureGrafanaLogin() {
    if (embeddedDatabase == null) {
      return false;
    }
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(embeddedDatabase.jdbcUrl(), "postgres", "");
        java.sql.Statement st = c.createStatement()) {
      st.execute(
          "DO $$ BEGIN"
              + " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + GRAFANA_USER
              + "') THEN CREATE ROLE "
              + GRAFANA_USER
              + " LOGIN PASSWORD '"
              + GRAFANA_PASSWORD
              + "' IN ROLE kerbside_grafana; END IF;"
              + " END $$");
      st.execute("ALTER ROLE " + GRAFANA_USER + " SET search_path = kerbside, public");
      return true;
    } catch (java.sql.SQLException e) {
      LOG.warn("demo - the read-only Grafana login could not be created: {}", e.getMessage());
      return false;
    }
  }

  /**
   * Starts what is not configured externally.
   *
   * @param fresh delete the embedded services' data first (other files in {@code dataDir} stay)
   * @param databasePort port of the embedded PostgreSQL, 0 for a free one
   * @param brokerPort port of the embedded MQTT broker, 0 for a free one
   */
  public static DemoEnvironment start(
      Settings base, Path dataDir, boolean fresh, int databasePort, int brokerPort)
      throws IOException {
    if (fresh) {
      deleteRecursively(dataDir.resolve("postgres"));
      deleteRecursively(dataDir.resolve("mqtt"));
    }
    List<AutoCloseable> started = new ArrayList<>();
    Settings s = base;
    String database;
    String broker;
    EmbeddedPostgresServer embedded = null;
    try {
      if (base.string(DatabaseConfig.URL, "").isEmpty()) {
        EmbeddedPostgresServer pg =
            EmbeddedPostgresServer.start(dataDir.resolve("postgres"), databasePort);
        started.add(pg);
        embedded = pg;
        s = s.with(DatabaseConfig.URL, pg.jdbcUrl()).with(DatabaseConfig.USER, "postgres");
        database =
            "embedded PostgreSQL "
                + pg.jdbcUrl()
                + " (user postgres, data in "
                + dataDir.resolve("postgres")
                + ")";
      } else {
        database = base.string(DatabaseConfig.URL, "");
      }
      if (base.string(IngestConfig.MQTT_URL, "").isEmpty()) {
        EmbeddedBroker mqtt = EmbeddedBroker.start(dataDir.resolve("mqtt"), brokerPort);
        started.add(mqtt);
        s = s.with(IngestConfig.MQTT_URL, mqtt.directUrl());
        broker =
            "embedded MQTT broker "
                + mqtt.url()
                + " (MQTT 3.1.1 and 5, anonymous, on this machine only)";
      } else {
        broker = base.string(IngestConfig.MQTT_URL, "");
      }
    } catch (IOException | RuntimeException e) {
      closeAll(started);
      throw e;
    }
    s = s.with(DatabaseConfig.MIGRATE, "true");
    if (base.secret(WorklistsConfig.LINK_SECRET).isEmpty()) {
      // The demo signs its crew link with a key of its own, new on every start.
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      s =
          s.with(
              WorklistsConfig.LINK_SECRET,
              java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key));
    }
    return new DemoEnvironment(s, started, database, broker, embedded);
  }

  /** Settings pointing at the services in use, with migrations on. */
  public Settings settings() {
    return settings;
  }

  public String databaseDescription() {
    return databaseDescription;
  }

  public String brokerDescription() {
    return brokerDescription;
  }

  @Override
  public void close() {
    closeAll(started);
  }

  private static void closeAll(List<AutoCloseable> services) {
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception e) {
        LOG.warn("demo - stopping {} failed", services.get(i).getClass().getSimpleName(), e);
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!dir.toFile().exists()) {
      return;
    }
    try (Stream<Path> paths = java.nio.file.Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }
}
