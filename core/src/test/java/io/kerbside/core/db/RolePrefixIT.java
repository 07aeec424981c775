package io.kerbside.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two installations sharing one cluster, each with its own role prefix: a login made for one can
 * neither read nor write the other's database; and an installation that started with the default
 * prefix moves to its own by migrating again.
 */
class RolePrefixIT {
  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private final List<TestDatabase> databases = new ArrayList<>();
  private final List<String> roles = new ArrayList<>();
  private TestServices.Db cluster;

  @AfterEach
  void tearDown() throws Exception {
    for (TestDatabase db : databases) {
      db.close();
    }
    try (Connection c =
            DriverManager.getConnection(cluster.adminUrl(), TestServices.adminUser(), "");
        Statement st = c.createStatement()) {
      for (String role : roles) {
        st.execute("DROP ROLE IF EXISTS " + role);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void aLoginOfOneInstallationCannotTouchAnothersDatabase(TestServices.Db cluster)
      throws Exception {
    this.cluster = cluster;
    String a = prefix();
    String b = prefix();
    TestDatabase dbA = migrated(cluster, a);
    TestDatabase dbB = migrated(cluster, b);
    String loginA = login(dbA, a + "_ingest");

    try (Connection own = connect(dbA, loginA);
        Statement st = own.createStatement()) {
      st.execute("SELECT count(*) FROM council");
      st.execute("SELECT ensure_reading_partitions(current_date, current_date)");
    }
    try (Connection other = connect(dbB, loginA);
        Statement st = other.createStatement()) {
      assertThatThrownBy(() -> st.execute("SELECT count(*) FROM kerbside.council"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(
              () ->
                  st.execute(
                      "INSERT INTO kerbside.dead_letter (council_id, topic, format, reason, payload)"
                          + " VALUES (1, 't', 'native', 'x', '\\x00')"))
          .hasMessageContaining("permission denied");
    }
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void anInstallationMovesFromTheDefaultRolesToItsOwnByMigratingAgain(TestServices.Db cluster)
      throws Exception {
    this.cluster = cluster;
    TestDatabase db = migrated(cluster, DatabaseConfig.DEFAULT_ROLE_PREFIX);
    String old = login(db, "kerbside_ingest");
    try (Connection c = connect(db, old);
        Statement st = c.createStatement()) {
      st.execute("SELECT count(*) FROM council");
    }

    String prefix = prefix();
    migrate(db, prefix);
    try (Connection c = connect(db, old);
        Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.execute("SELECT count(*) FROM kerbside.council"))
          .as("the default role holds nothing here any more")
          .hasMessageContaining("permission denied");
    }
    String moved = login(db, prefix + "_ingest");
    try (Connection c = connect(db, moved);
        Statement st = c.createStatement()) {
      st.execute("SELECT count(*) FROM council");
      st.execute("SELECT asset_pk, bin_depth_mm FROM asset");
      assertThatThrownBy(() -> st.execute("SELECT asset_ref FROM asset"))
          .as("column grants move as column grants")
          .hasMessageContaining("permission denied");
    }
    String reader = login(db, prefix + "_reader");
    try (Connection c = connect(db, reader);
        Statement st = c.createStatement()) {
      st.execute("SELECT count(*) FROM reading");
    }
    assertThat(db.count("SELECT count(*) FROM flyway_schema_history")).isPositive();
  }

  private String prefix() {
    String p = "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    for (String job : List.of("ingest", "reader", "analytics", "grafana")) {
      roles.add(p + "_" + job);
    }
    return p;
  }

  private TestDatabase migrated(TestServices.Db cluster, String prefix) throws SQLException {
    TestDatabase db = TestDatabase.create(cluster);
    databases.add(db);
    migrate(db, prefix);
    return db;
  }

  private static void migrate(TestDatabase db, String prefix) {
    DatabaseConfig c = db.config();
    DatabaseConfig withPrefix =
        new DatabaseConfig(
            c.url(),
            c.user(),
            c.password(),
            c.poolSize(),
            c.storage(),
            c.retentionDays(),
            false,
            c.compressAfterDays(),
            prefix);
    try (HikariDataSource ds = DataSources.open(withPrefix, "test", null)) {
      Migrations.migrate(ds, withPrefix);
    }
  }

  private String login(TestDatabase db, String groupRole) throws SQLException {
    String login = "itl" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    roles.add(0, login);
    db.createLogin(login, PASSWORD, groupRole);
    return login;
  }

  private static Connection connect(TestDatabase db, String login) throws SQLException {
    Connection c = DriverManager.getConnection(db.url(), login, PASSWORD);
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path = kerbside");
    }
    return c;
  }
}
