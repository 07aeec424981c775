package io.kerbside.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real services integration tests use, from {@code KERBSIDE_TEST_*} settings with the defaults
 * of {@code scripts/services.sh}, and control of them for outage tests.
 */
public final class TestServices {
  private TestServices() {}

  /** Which PostgreSQL the test runs against. */
  public enum Db {
    POSTGRES("KERBSIDE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:54315/postgres", "pg"),
    TIMESCALEDB("KERBSIDE_TEST_TSDB_URL", "jdbc:postgresql://127.0.0.1:54317/postgres", "tsdb");

    private final String key;
    private final String defaultUrl;
    private final String service;

    Db(String key, String defaultUrl, String service) {
      this.key = key;
      this.defaultUrl = defaultUrl;
      this.service = service;
    }

    /** JDBC URL of the cluster's maintenance database, for the admin user. */
    public String adminUrl() {
      return setting(key, defaultUrl);
    }

    public void stop() {
      run(service + "-stop");
    }

    public void start() {
      run(service + "-start");
    }

    /**
     * Stops every process of the cluster with SIGSTOP: connections stay open and nothing answers.
     * Plain PostgreSQL only. Always {@link #thaw()} in a {@code finally}.
     */
    public void freeze() {
      run(service + "-freeze");
    }

    /** Resumes what {@link #freeze()} stopped. */
    public void thaw() {
      run(service + "-thaw");
    }
  }

  public static String adminUser() {
    return setting("KERBSIDE_TEST_DB_ADMIN_USER", "postgres");
  }

  /**
   * JDBC URL (without TLS parameters) of the maintenance database of the TLS-only PostgreSQL
   * (scripts/services.sh pgtls).
   */
  public static String pgTlsUrl() {
    return setting("KERBSIDE_TEST_PGTLS_URL", "jdbc:postgresql://127.0.0.1:54316/postgres");
  }

  /** The CA that signed the TLS-only PostgreSQL's certificate (for localhost and 127.0.0.1). */
  public static Path pgTlsCa() {
    return Path.of(
        setting("KERBSIDE_TEST_PGTLS_CA", "/var/tmp/kerbside-services/pgtls/certs/ca.pem"));
  }

  /** A loopback address the TLS-only PostgreSQL listens on that its certificate does not name. */
  public static String pgTlsOtherHost() {
    return setting("KERBSIDE_TEST_PGTLS_OTHER_HOST", "127.0.0.2");
  }

  public static String mqttUrl() {
    return setting("KERBSIDE_TEST_MQTT_URL", "tcp://127.0.0.1:18830");
  }

  /** The broker listener that requires a login (scripts/services.sh). */
  public static String mqttAuthUrl() {
    return setting("KERBSIDE_TEST_MQTT_AUTH_URL", "tcp://127.0.0.1:18831");
  }

  public static String mqttUser() {
    return setting("KERBSIDE_TEST_MQTT_USER", "kerbside-it");
  }

  public static String mqttPassword() {
    return setting("KERBSIDE_TEST_MQTT_PASSWORD", "kerbside-it-password");
  }

  public static void stopBroker() {
    run("mqtt-stop");
  }

  public static void startBroker() {
    run("mqtt-start");
  }

  static String setting(String key, String defaultValue) {
    String v = System.getenv(key);
    return v == null || v.isBlank() ? defaultValue : v;
  }

  /** Runs {@code scripts/services.sh <command>} and fails the test if it fails. */
  public static void run(String command) {
    String script = setting("KERBSIDE_TEST_SERVICES", findScript().toString());
    try {
      Process p = new ProcessBuilder("bash", script, command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(script + " " + command + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path findScript() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("scripts/services.sh");
      if (Files.exists(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("scripts/services.sh not found; set KERBSIDE_TEST_SERVICES");
  }
}
