package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.DatabaseUnavailableException;
import io.kerbside.core.testing.TestCertificates;
import io.kerbside.core.testing.TestPublisher;
import io.kerbside.core.testing.TestServices;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kerbside against a PostgreSQL that accepts TLS connections only (scripts/services.sh pgtls):
 * {@code sslmode=verify-full} with {@code sslrootcert} migrates and stores readings; a certificate
 * that names another host, or comes from a CA not trusted, fails start-up.
 */
class PostgresTlsIT {
  @TempDir Path dir;

  private String database;
  private String prefix;
  private final Map<String, String> env = new HashMap<>();

  /** {@code jdbc:postgresql://<host>:<port>/<database>?sslmode=<mode>&sslrootcert=<ca>}. */
  private static String url(String host, String database, String mode, Path ca) {
    URI admin = URI.create(TestServices.pgTlsUrl().substring("jdbc:".length()));
    return "jdbc:postgresql://"
        + host
        + ":"
        + admin.getPort()
        + "/"
        + database
        + "?sslmode="
        + mode
        + "&sslrootcert="
        + ca;
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(
        url("localhost", "postgres", "verify-full", TestServices.pgTlsCa()),
        TestServices.adminUser(),
        "");
  }

  @BeforeEach
  void setUp() throws Exception {
    database = "kerbside_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database);
    }
    prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    env.put("KERBSIDE_DB_USER", TestServices.adminUser());
    env.put("KERBSIDE_DB_MIGRATE", "true");
    env.put("KERBSIDE_DB_STORAGE", "postgres");
    env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
    env.put("KERBSIDE_MQTT_CLIENT_ID", prefix);
    env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/kerbside/+/+=native@default");
    env.put("KERBSIDE_HTTP_PORT", "0");
  }

  @AfterEach
  void tearDown() throws Exception {
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection c = admin();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void migratesAndStoresReadingsOverVerifiedTls() throws Exception {
    env.put("KERBSIDE_DB_URL", url("localhost", database, "verify-full", TestServices.pgTlsCa()));
    try (KerbsideProcess p = KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST));
        TestPublisher pub = new TestPublisher()) {
      pub.publish(
          prefix + "/kerbside/bin/bin-pgtls-1",
          "{\"ts\":\"" + Instant.now().minusSeconds(60) + "\",\"seq\":1,\"fill_pct\":42}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                try (Connection c =
                        DriverManager.getConnection(
                            url("127.0.0.1", database, "verify-full", TestServices.pgTlsCa()),
                            TestServices.adminUser(),
                            "");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM kerbside.reading")) {
                  rs.next();
                  return rs.getLong(1) == 1;
                }
              });
      assertThat(
              count(
                  "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)"
                      + " WHERE a.datname = '"
                      + database
                      + "' AND a.application_name LIKE 'kerbside-%' AND NOT s.ssl"))
          .as("every pool connection is encrypted")
          .isZero();
      assertThat(
              count(
                  "SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                      + database
                      + "' AND application_name LIKE 'kerbside-%'"))
          .isPositive();
    }
  }

  @Test
  void verifyFullRefusesACertificateThatNamesAnotherHost() {
    String host = TestServices.pgTlsOtherHost();
    env.put("KERBSIDE_DB_URL", url(host, database, "verify-full", TestServices.pgTlsCa()));
    assertThatThrownBy(
            () -> KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class)).close())
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining("cannot connect to jdbc:postgresql://" + host)
        .hasMessageContaining("The hostname " + host + " could not be verified");
  }

  @Test
  void verifyCaChecksTheCaButNotTheHostName() throws Exception {
    env.put(
        "KERBSIDE_DB_URL",
        url(TestServices.pgTlsOtherHost(), database, "verify-ca", TestServices.pgTlsCa()));
    try (KerbsideProcess p =
        KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class))) {
      assertThat(p.failures()).isEmpty();
    }
  }

  @Test
  void aCertificateFromAnUntrustedCaFailsStartUp() throws Exception {
    TestCertificates stranger = TestCertificates.authority(dir, "stranger");
    env.put("KERBSIDE_DB_URL", url("localhost", database, "verify-full", stranger.caFile()));
    assertThatThrownBy(
            () -> KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class)).close())
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining("cannot connect to jdbc:postgresql://localhost")
        .hasMessageContaining("unable to find valid certification path")
        .hasMessageContaining("check that sslrootcert in KERBSIDE_DB_URL names the CA");
  }
}
