package io.kerbside.core.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.DatabaseConfig.StorageChoice;
import io.kerbside.core.config.Secret;
import io.kerbside.core.db.DataSources;
import io.kerbside.core.db.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh database in one of the test clusters, dropped on {@link #close()}. Connects as the
 * cluster's admin user.
 */
public final class TestDatabase implements AutoCloseable {
  private final TestServices.Db cluster;
  private final String name;
  private final String url;

  private TestDatabase(TestServices.Db cluster, String name, String url) {
    this.cluster = cluster;
    this.name = name;
    this.url = url;
  }

  public static TestDatabase create(TestServices.Db cluster) throws SQLException {
    String name = "kerbside_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = admin(cluster);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    String admin = cluster.adminUrl();
    String url = admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    return new TestDatabase(cluster, name, url);
  }

  private static Connection admin(TestServices.Db cluster) throws SQLException {
    return DriverManager.getConnection(cluster.adminUrl(), TestServices.adminUser(), "");
  }

  public String url() {
    return url;
  }

  public TestServices.Db cluster() {
    return cluster;
  }

  /** Database settings for the admin user, with storage chosen by the cluster. */
  public DatabaseConfig config() {
    return new DatabaseConfig(
        url,
        TestServices.adminUser(),
        Secret.empty(),
        4,
        cluster == TestServices.Db.TIMESCALEDB ? StorageChoice.TIMESCALEDB : StorageChoice.POSTGRES,
        395,
        false,
        7);
  }

  /** Opens a pool as the admin user and applies the migrations. */
  public HikariDataSource migrated() {
    HikariDataSource ds = DataSources.open(config(), "test", null);
    Migrations.migrate(ds, config());
    return ds;
  }

  public Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url, TestServices.adminUser(), "");
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path = kerbside, public");
    }
    return c;
  }

  /** Runs a query returning one number. */
  public long count(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Creates a login role with a password that is a member of {@code groupRole}. */
  public void createLogin(String role, String password, String groupRole) throws SQLException {
    try (Connection c = admin(cluster);
        Statement st = c.createStatement()) {
      st.execute(
          String.format(
              Locale.ROOT,
              "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN"
                  + " CREATE ROLE %1$s LOGIN PASSWORD '%2$s'; END IF; END $$",
              role,
              password));
      st.execute(String.format(Locale.ROOT, "ALTER ROLE %s PASSWORD '%s'", role, password));
      st.execute("GRANT " + groupRole + " TO " + role);
    }
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = admin(cluster);
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
}
