package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kerbside councils key}: creates, lists (never a key or its hash) and revokes a council's
 * REST API keys, and the REST API refuses a revoked key at once.
 */
class ApiKeysIT {
  private TestDatabase db;
  private HikariDataSource ds;
  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  private record Run(int exitCode, String output) {}

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    ds = db.migrated();
    new Councils(ds).add("other-town", "Other Town");
    String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", TestServices.adminUser());
    env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
    env.put("KERBSIDE_MQTT_CLIENT_ID", prefix);
    env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/kerbside/+/+=native@default");
    env.put("KERBSIDE_HTTP_PORT", "0");
  }

  @AfterEach
  void tearDown() throws Exception {
    ds.close();
    db.close();
  }

  private Run cli(String... args) throws Exception {
    try (IngestProcess p = IngestProcess.start(env, args)) {
      int code = p.waitForExit();
      return new Run(code, p.output());
    }
  }

  private static String key(Run created) {
    assertThat(created.exitCode()).as(created.output()).isZero();
    return created.output().lines().filter(l -> l.startsWith("kbs_")).findFirst().orElseThrow();
  }

  private int status(int port, String key) throws Exception {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/assets"))
            .header("Authorization", "Bearer " + key)
            .build();
    return http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void listsAndRevokesKeysAndTheApiRefusesARevokedKey() throws Exception {
    String dashboard = key(cli("councils", "key", "default", "--label", "GIS dashboard"));
    String spare = key(cli("councils", "key", "default"));
    key(cli("councils", "key", "other-town", "--label", "theirs"));
    long dashboardId = db.count("SELECT api_key_id FROM api_key WHERE label = 'GIS dashboard'");
    long theirsId = db.count("SELECT api_key_id FROM api_key WHERE label = 'theirs'");

    Run listed = cli("councils", "key", "default", "--list");
    assertThat(listed.exitCode()).as(listed.output()).isZero();
    assertThat(listed.output())
        .contains("GIS dashboard")
        .doesNotContain("theirs")
        .doesNotContain(dashboard)
        .doesNotContain(dashboard.substring(4, 20))
        .doesNotContain(spare);
    String hash =
        HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(dashboard.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(listed.output().toLowerCase()).doesNotContain(hash.substring(0, 16));
    assertThat(listed.output().lines().filter(l -> l.matches("\\d+ .*")))
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).matches("\\d+\\s+\\S+ \\S+\\s+-\\s*.*"));

    try (KerbsideProcess p = KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST))) {
      int port = p.httpPort();
      assertThat(status(port, dashboard)).isEqualTo(200);
      assertThat(status(port, spare)).isEqualTo(200);

      Run revoked = cli("councils", "key", "default", "--revoke", Long.toString(dashboardId));
      assertThat(revoked.exitCode()).as(revoked.output()).isZero();
      assertThat(revoked.output()).contains("revoked");
      assertThat(status(port, dashboard)).as("refused from the next request on").isEqualTo(401);
      assertThat(status(port, spare)).isEqualTo(200);

      Run again = cli("councils", "key", "default", "--revoke", Long.toString(dashboardId));
      assertThat(again.exitCode()).isZero();
      assertThat(again.output()).contains("already revoked");

      Run foreign = cli("councils", "key", "default", "--revoke", Long.toString(theirsId));
      assertThat(foreign.exitCode()).as("another council's key").isEqualTo(1);
      assertThat(db.count("SELECT count(*) FROM api_key WHERE revoked_at IS NOT NULL"))
          .isEqualTo(1);
    }

    Run after = cli("councils", "key", "default", "--list");
    String dashboardLine =
        after.output().lines().filter(l -> l.contains("GIS dashboard")).findFirst().orElseThrow();
    assertThat(dashboardLine).startsWith(Long.toString(dashboardId)).doesNotContain(" - ");

    Run both = cli("councils", "key", "default", "--list", "--revoke", "1");
    assertThat(both.exitCode()).as("--list and --revoke exclude each other").isEqualTo(2);
  }
}
