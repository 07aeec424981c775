package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestPublisher;
import io.kerbside.core.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Least-privilege database roles and clear refusals of wrong credentials. */
class SecurityIT {
  private static final String INGEST_LOGIN = "kerbside_it_ingest";
  private static final String INGEST_PASSWORD = "it-" + UUID.randomUUID();
  private TestDatabase db;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    db.migrated().close();
    db.createLogin(INGEST_LOGIN, INGEST_PASSWORD, "kerbside_ingest");
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  private Connection asIngestRole() throws SQLException {
    Connection c = DriverManager.getConnection(db.url(), INGEST_LOGIN, INGEST_PASSWORD);
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path = kerbside");
    }
    return c;
  }

  @Test
  void ingestRunsWithOnlyTheIngestRole() throws Exception {
    String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", INGEST_LOGIN);
    env.put("KERBSIDE_DB_PASSWORD", INGEST_PASSWORD);
    env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
    env.put("KERBSIDE_MQTT_CLIENT_ID", prefix);
    env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/kerbside/+/+=native@default");
    try (IngestProcess ingest = IngestProcess.start(env, "ingest")) {
      await().atMost(Duration.ofSeconds(60)).until(ingest::ready);
      try (TestPublisher pub = new TestPublisher()) {
        pub.publish(
            prefix + "/kerbside/pavement/p-1", "{\"surface_temp_c\":-0.5,\"moisture_pct\":40}");
        pub.publish(prefix + "/kerbside/pavement/p-1", "{\"surface_temp_c\":\"cold\"}");
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  db.count("SELECT count(*) FROM reading") == 1
                      && db.count("SELECT count(*) FROM dead_letter") == 1);
      assertThat(ingest.output()).doesNotContain(INGEST_PASSWORD);

      // The ingest login may not read API keys or alerts: the API says who serves it, not 500.
      HttpClient http = HttpClient.newHttpClient();
      for (String path : List.of("/api/v1/assets", "/api/v1/alerts/1", "/api/v1/nothing")) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.httpPort() + path))
                    .header("Authorization", "Bearer kbs_not-a-key")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(503);
        assertThat(new JsonObject(r.body()).getString("served_by_role"))
            .as(path)
            .startsWith("kerbside_");
      }
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.httpPort() + "/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      JsonObject api = new JsonObject(ready.body()).getJsonObject("api");
      assertThat(api.getString("alerts")).startsWith("not served").contains("kerbside_analytics");
      assertThat(api.getString("registry")).startsWith("not served").contains("kerbside_reader");
    }
  }

  @Test
  void theIngestRoleCannotDeleteAlterOrReadWhatItDoesNotNeed() throws Exception {
    try (Connection c = asIngestRole();
        Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.execute("DELETE FROM reading"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("SELECT count(*) FROM reading"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("SELECT count(*) FROM dead_letter"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("UPDATE device SET kind = 'bin'"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("DROP TABLE dead_letter"))
          .hasMessageContaining("must be owner");
      assertThatThrownBy(() -> st.execute("CREATE TABLE kerbside.x (i int)"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("INSERT INTO council (slug, name) VALUES ('evil', 'x')"))
          .hasMessageContaining("permission denied");
      st.execute("SELECT asset_pk, bin_depth_mm FROM asset");
      assertThatThrownBy(() -> st.execute("SELECT asset_ref FROM asset"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("UPDATE asset SET bin_depth_mm = 1"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("SELECT count(*) FROM api_key"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("UPDATE mqtt_subscription SET client_id = 'other'"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void aWrongDatabasePasswordFailsStartUpClearlyWithoutPrintingIt() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", INGEST_LOGIN);
    env.put("KERBSIDE_DB_PASSWORD", "not-the-password-42");
    env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
    try (IngestProcess ingest = IngestProcess.start(env, "ingest")) {
      assertThat(ingest.waitForExit()).isEqualTo(3);
      assertThat(ingest.output())
          .contains("kerbside: cannot connect to " + db.url() + " as " + INGEST_LOGIN)
          .contains("password authentication failed")
          .doesNotContain("not-the-password-42");
    }
  }

  @Test
  void aPasswordWrittenInsideTheDatabaseUrlIsNeverPrinted() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("KERBSIDE_DB_URL", db.url() + "?password=not-the-password-43");
    env.put("KERBSIDE_DB_USER", INGEST_LOGIN);
    env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
    try (IngestProcess ingest = IngestProcess.start(env, "ingest")) {
      assertThat(ingest.waitForExit()).isEqualTo(3);
      assertThat(ingest.output())
          .contains("password authentication failed")
          .contains("password=<masked>")
          .doesNotContain("not-the-password-43");
    }
  }

  @Test
  void aPasswordWrittenInsideTheBrokerUrlIsNeverPrintedWhileReconnecting() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", INGEST_LOGIN);
    env.put("KERBSIDE_DB_PASSWORD", INGEST_PASSWORD);
    env.put("KERBSIDE_MQTT_URL", "tcp://someone:pw-in-url-44@127.0.0.1:" + closedPort);
    try (IngestProcess ingest = IngestProcess.start(env, "ingest")) {
      await()
          .atMost(java.time.Duration.ofSeconds(60))
          .until(() -> ingest.output().contains("retrying in"));
      assertThat(ingest.output())
          .contains("tcp://someone:<masked>@127.0.0.1:" + closedPort)
          .doesNotContain("pw-in-url-44");
    }
  }

  @Test
  void invalidConfigurationNamesTheSetting() throws Exception {
    try (IngestProcess ingest =
        IngestProcess.start(Map.of("KERBSIDE_INGEST_BATCH_SIZE", "0"), "ingest")) {
      assertThat(ingest.waitForExit()).isEqualTo(2);
      assertThat(ingest.output())
          .contains("KERBSIDE_INGEST_BATCH_SIZE must be between 1 and 50000, got 0");
    }
  }

  @Test
  void aWrongBrokerPasswordFailsStartUpClearlyWithoutPrintingIt() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", INGEST_LOGIN);
    env.put("KERBSIDE_DB_PASSWORD", INGEST_PASSWORD);
    env.put("KERBSIDE_MQTT_URL", TestServices.mqttAuthUrl());
    env.put("KERBSIDE_MQTT_USERNAME", TestServices.mqttUser());
    env.put("KERBSIDE_MQTT_PASSWORD", "wrong-broker-password-17");
    try (IngestProcess ingest = IngestProcess.start(env, "ingest")) {
      assertThat(ingest.waitForExit()).isEqualTo(3);
      assertThat(ingest.output())
          .contains("refused the credentials of user " + TestServices.mqttUser())
          .doesNotContain("wrong-broker-password-17")
          .doesNotContain(INGEST_PASSWORD);
    }
  }

  @Test
  void theRightBrokerPasswordIsAccepted() throws Exception {
    String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("KERBSIDE_ENV", "production");
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", INGEST_LOGIN);
    env.put("KERBSIDE_DB_PASSWORD", INGEST_PASSWORD);
    env.put("KERBSIDE_MQTT_URL", TestServices.mqttAuthUrl());
    env.put("KERBSIDE_MQTT_USERNAME", TestServices.mqttUser());
    env.put("KERBSIDE_MQTT_PASSWORD", TestServices.mqttPassword());
    env.put("KERBSIDE_MQTT_CLIENT_ID", prefix);
    env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/kerbside/+/+=native@default");
    try (IngestProcess ingest = IngestProcess.start(env, "ingest")) {
      await().atMost(Duration.ofSeconds(60)).until(ingest::ready);
      assertThat(ingest.output()).doesNotContain(TestServices.mqttPassword());
    }
  }
}
