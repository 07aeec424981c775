package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.auth.ApiKeyRepository;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The analytics role in a real process: readings in the database raise an alert within seconds, and
 * the alerts REST API lists it, shows its history and lets an operator act on it, for the caller's
 * council only.
 */
class AlertsApiIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anAlertRaisedFromReadingsIsListedAndActedOnThroughTheApi() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      Councils councils = new Councils(ds);
      CouncilRef council = councils.find("default").orElseThrow();
      CouncilRef other = councils.add("other-town", "Other Town");
      ApiKeyRepository keys = new ApiKeyRepository(ds);
      String viewer = keys.create(council, "wall screen").reveal();
      String operator = keys.create(council, "north crew", ApiRole.OPERATOR).reveal();
      String otherOperator = keys.create(other, "them", ApiRole.OPERATOR).reveal();

      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_HTTP_PORT", "0");
      env.put("KERBSIDE_ANALYTICS_POLL_INTERVAL_MS", "100");

      try (KerbsideProcess p =
          KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.ANALYTICS))) {
        int port = p.httpPort();
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES);
        storeFullBin(db, t);
        Instant stored = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> total(port, viewer) == 1);
        assertThat(Duration.between(stored, Instant.now())).isLessThan(Duration.ofSeconds(5));

        JsonObject listed =
            body(get(port, "/api/v1/alerts?status=open&kind=bin", viewer), 200)
                .getJsonArray("items")
                .getJsonObject(0);
        assertThat(listed.getString("rule")).isEqualTo("bin-full");
        assertThat(listed.getString("condition_began_at"))
            .isEqualTo(listed.getString("observed_at"));
        assertThat(listed.getString("condition_cleared_at")).isNull();
        assertThat(listed.getString("severity")).isEqualTo("major");
        assertThat(listed.getString("ward")).isEqualTo("Market");
        assertThat(listed.getJsonObject("asset").getString("ref")).isEqualTo("CAS/BIN/7");
        assertThat(listed.getDouble("value")).isEqualTo(92.0);
        long id = listed.getLong("id");
        assertThat(total(port, viewer, "/api/v1/alerts?rule=bin-full&ward=Riverside")).isZero();
        assertThat(get(port, "/api/v1/alerts?severity=urgent", viewer).statusCode()).isEqualTo(400);

        assertThat(get(port, "/api/v1/alerts", null).statusCode()).isEqualTo(401);
        assertThat(get(port, "/openapi.yaml", null).body())
            .contains("/api/v1/alerts/{id}/acknowledge", "AlertEvent");
        assertThat(post(port, "/api/v1/alerts/" + id + "/acknowledge", viewer, "{}").statusCode())
            .as("a viewer cannot act")
            .isEqualTo(403);
        assertThat(get(port, "/api/v1/alerts/" + id, otherOperator).statusCode()).isEqualTo(404);
        assertThat(
                post(port, "/api/v1/alerts/" + id + "/acknowledge", otherOperator, "{}")
                    .statusCode())
            .isEqualTo(404);

        JsonObject acked =
            body(
                post(
                    port,
                    "/api/v1/alerts/" + id + "/acknowledge",
                    operator,
                    "{\"note\":\"on the way\"}"),
                200);
        assertThat(acked.getString("status")).isEqualTo("acknowledged");
        long keyId = db.count("SELECT api_key_id FROM api_key WHERE label = 'north crew'");
        assertThat(acked.getString("acknowledged_by")).isEqualTo("key:" + keyId + ":north crew");
        assertThat(post(port, "/api/v1/alerts/" + id + "/acknowledge", operator, "").statusCode())
            .as("acknowledged twice")
            .isEqualTo(409);
        body(
            post(port, "/api/v1/alerts/" + id + "/assign", operator, "{\"assignee\":\"Sam\"}"),
            200);
        assertThat(post(port, "/api/v1/alerts/" + id + "/notes", operator, "{}").statusCode())
            .isEqualTo(400);
        body(
            post(port, "/api/v1/alerts/" + id + "/notes", operator, "{\"note\":\"lid bent\"}"),
            200);
        JsonObject resolved =
            body(
                post(port, "/api/v1/alerts/" + id + "/resolve", operator, "{\"note\":\"done\"}"),
                200);
        assertThat(resolved.getString("status")).isEqualTo("resolved");
        assertThat(resolved.getString("assignee")).isEqualTo("Sam");

        JsonObject one = body(get(port, "/api/v1/alerts/" + id, viewer), 200);
        assertThat(
                one.getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("type")))
            .containsExactly("opened", "acknowledged", "assigned", "note", "resolved");
        assertThat(total(port, viewer, "/api/v1/alerts?status=active")).isZero();
        assertThat(total(port, otherOperator, "/api/v1/alerts")).isZero();
      }

      // the same alert from a terminal
      Map<String, String> cliEnv =
          Map.of("KERBSIDE_DB_URL", db.url(), "KERBSIDE_DB_USER", TestServices.adminUser());
      String listed = cli(cliEnv, 0, "alerts", "list", "--status", "resolved");
      assertThat(listed).contains("bin-full", "CAS/BIN/7", "Market", "1 of 1 alerts");
      assertThat(cli(cliEnv, 0, "alerts", "list")).contains("0 of 0 alerts");
      assertThat(cli(cliEnv, 4, "alerts", "ack", "999999")).contains("no alert 999999");
      assertThat(cli(cliEnv, 5, "alerts", "resolve", "--by", "sam", String.valueOf(1)))
          .contains("already resolved");
      assertThat(cli(cliEnv, 2, "alerts", "note", "--by", "", "--note", "x", String.valueOf(1)))
          .contains("--by must be a name");
    }
  }

  /** Runs {@code kerbside args} in a child JVM; asserts its exit code and returns its output. */
  private static String cli(Map<String, String> env, int exitCode, String... args)
      throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.kerbside.app.cli.KerbsideCli");
    cmd.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("KERBSIDE_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isEqualTo(exitCode);
    return out;
  }

  /** Uploads are off: a client without a key cannot make the server write files. */
  @Test
  void multipartUploadsWithoutAKeyLeaveNoFiles() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_HTTP_PORT", "0");
      java.nio.file.Path uploads = java.nio.file.Path.of("file-uploads").toAbsolutePath();
      long before = files(uploads);
      try (KerbsideProcess p =
          KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.ANALYTICS))) {
        String boundary = "kerbside-test-boundary";
        String part =
            "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "x".repeat(8 * 1024)
                + "\r\n--"
                + boundary
                + "--\r\n";
        for (int i = 0; i < 3; i++) {
          HttpRequest r =
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + p.httpPort() + "/api/v1/alerts/1/acknowledge"))
                  .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                  .POST(HttpRequest.BodyPublishers.ofString(part))
                  .build();
          assertThat(http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode())
              .isEqualTo(401);
        }
      }
      assertThat(files(uploads)).as("files written under " + uploads).isEqualTo(before);
    }
  }

  private static long files(java.nio.file.Path dir) throws Exception {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return 0;
    }
    try (var s = java.nio.file.Files.list(dir)) {
      return s.count();
    }
  }

  private static void storeFullBin(TestDatabase db, Instant at) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("SELECT ensure_reading_partitions(current_date - 2, current_date + 1)");
      st.execute(
          "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, ward, bin_depth_mm)"
              + " VALUES (1, 'CAS/BIN/7', 'bin', 52.2, 0.12, 'Market', 1000)");
      st.execute(
          "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at)"
              + " SELECT 1, 'bin-7', 'bin', asset_pk, now() FROM asset WHERE asset_ref = 'CAS/BIN/7'");
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct, tilt_deg)"
                  + " SELECT 1, device_pk, ?, now(), 92, 2 FROM device WHERE device_id = 'bin-7'")) {
        // full for two readings in a row, as bin-full asks
        ps.setTimestamp(1, Timestamp.from(at.minus(Duration.ofMinutes(15))));
        ps.executeUpdate();
        ps.setTimestamp(1, Timestamp.from(at));
        ps.executeUpdate();
      }
    }
  }

  private long total(int port, String key) throws Exception {
    return total(port, key, "/api/v1/alerts");
  }

  private long total(int port, String key, String path) throws Exception {
    return body(get(port, path, key), 200).getLong("total");
  }

  private static JsonObject body(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }

  private HttpResponse<String> get(int port, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(int port, String path, String key, String json)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
