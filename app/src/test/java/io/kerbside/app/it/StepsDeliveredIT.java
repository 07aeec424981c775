package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.auth.ApiKeyRepository;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every step of an alert's life reaches the crew's webhook exactly once, whichever process took it:
 * analytics opening an alert, a person acknowledging one at a terminal (a process with no routes
 * file), a crew acknowledging one through the REST API of an ingest-only process, and a note
 * through the API of the analytics process itself.
 */
class StepsDeliveredIT {
  private static final String SECRET = "steps-delivered-secret";

  /** One notice the webhook receiver was sent. */
  record Received(String eventId, String eventType) {}

  @Test
  void stepsTakenInAnyProcessAreDeliveredOnceByTheRunningDeliveryWorker() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hooks/crew",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("X-Kerbside-Alert-Event-Id"),
                  exchange.getRequestHeaders().getFirst("X-Kerbside-Event")));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    Path routesFile = Files.createTempFile("kerbside-routes-", ".yaml");
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      Files.writeString(
          routesFile,
          "channels:\n"
              + "  - name: crew\n"
              + "    type: webhook\n"
              + "    url: http://127.0.0.1:"
              + receiver.getAddress().getPort()
              + "/hooks/crew\n"
              + "    secret_env: KERBSIDE_WEBHOOK_CREW_SECRET\n"
              + "    timeout_ms: 2000\n"
              + "routes:\n"
              + "  - name: everything\n"
              + "    channels: [crew]\n");
      ApiKeyRepository keys = new ApiKeyRepository(ds);
      String operator =
          keys.create(
                  new Councils(ds).find("default").orElseThrow(), "north crew", ApiRole.OPERATOR)
              .reveal();
      long keyId = db.count("SELECT api_key_id FROM api_key WHERE label = 'north crew'");

      Map<String, String> common = new HashMap<>();
      common.put("KERBSIDE_DB_URL", db.url());
      common.put("KERBSIDE_DB_USER", TestServices.adminUser());
      common.put("KERBSIDE_HTTP_PORT", "0");

      Map<String, String> analyticsEnv = new HashMap<>(common);
      analyticsEnv.put("KERBSIDE_ANALYTICS_POLL_INTERVAL_MS", "100");
      analyticsEnv.put("KERBSIDE_ANALYTICS_DELIVERY_POLL_MS", "100");
      analyticsEnv.put("KERBSIDE_ANALYTICS_ROUTES_FILE", routesFile.toString());
      analyticsEnv.put("KERBSIDE_WEBHOOK_CREW_SECRET", SECRET);

      String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> ingestEnv = new HashMap<>(common);
      ingestEnv.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
      ingestEnv.put("KERBSIDE_MQTT_CLIENT_ID", prefix);
      ingestEnv.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/kerbside/+/+=native@default");

      try (KerbsideProcess analytics =
              KerbsideProcess.start(Settings.from(analyticsEnv), EnumSet.of(Role.ANALYTICS));
          KerbsideProcess ingest =
              KerbsideProcess.start(Settings.from(ingestEnv), EnumSet.of(Role.INGEST))) {
        // analytics' own step: two full bins open two alerts
        storeFullBins(db, Instant.now().minus(10, ChronoUnit.MINUTES));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> db.count("SELECT count(*) FROM alert WHERE status = 'open'") == 2);
        long first = db.count("SELECT min(alert_id) FROM alert");
        long second = db.count("SELECT max(alert_id) FROM alert");

        // a person at a terminal, in a process with no routes file
        Map<String, String> cliEnv = new HashMap<>(common);
        cliEnv.remove("KERBSIDE_HTTP_PORT");
        String out = cli(cliEnv, 0, "alerts", "ack", Long.toString(first), "--by", "sam");
        assertThat(out).contains("acknowledged");

        // a crew through the REST API of an ingest-only process
        HttpResponse<String> acked =
            post(ingest.httpPort(), "/api/v1/alerts/" + second + "/acknowledge", operator);
        assertThat(acked.statusCode()).as(acked.body()).isEqualTo(200);

        // and a note through the analytics process's own API
        HttpResponse<String> noted =
            post(analytics.httpPort(), "/api/v1/alerts/" + first + "/notes", operator);
        assertThat(noted.statusCode()).as(noted.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 5);
        Thread.sleep(1_000); // time for a second sending, were there one
      }

      assertThat(received.stream().map(Received::eventType).sorted())
          .containsExactly("acknowledged", "acknowledged", "note", "opened", "opened");
      Map<String, Long> perEvent =
          received.stream()
              .collect(Collectors.groupingBy(Received::eventId, Collectors.counting()));
      assertThat(perEvent).hasSize(5);
      assertThat(perEvent.values()).allMatch(n -> n == 1);
      assertThat(db.count("SELECT count(*) FROM alert_event")).isEqualTo(5);
      assertThat(db.count("SELECT count(*) FROM alert_event WHERE routed_at IS NULL")).isZero();
      assertThat(db.count("SELECT count(*) FROM delivery WHERE status = 'delivered'")).isEqualTo(5);

      assertThat(db.count("SELECT count(*) FROM alert_event WHERE actor = 'cli:sam'"))
          .as("the terminal step, by the person named")
          .isEqualTo(1);
      assertThat(
              db.count(
                  "SELECT count(*) FROM alert_event WHERE actor = 'key:" + keyId + ":north crew'"))
          .as("the API steps, by the key's id and label")
          .isEqualTo(2);
    } finally {
      receiver.stop(0);
      Files.deleteIfExists(routesFile);
    }
  }

  /** Runs {@code kerbside args} in a child JVM; asserts its exit code and returns its output. */
  static String cli(Map<String, String> env, int exitCode, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.kerbside.app.cli.KerbsideCli");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("KERBSIDE_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isEqualTo(exitCode);
    return out;
  }

  private static HttpResponse<String> post(int port, String path, String key) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString("{\"note\":\"on the way\"}"))
            .build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** Two bins, each full for two readings in a row, as bin-full asks. */
  private static void storeFullBins(TestDatabase db, Instant at) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("SELECT ensure_reading_partitions(current_date - 2, current_date + 1)");
      for (int i = 1; i <= 2; i++) {
        st.execute(
            "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, ward,"
                + " bin_depth_mm) VALUES (1, 'CAS/BIN/"
                + i
                + "', 'bin', 52.2, 0.12, 'Market', 1000)");
        st.execute(
            "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at)"
                + " SELECT 1, 'bin-"
                + i
                + "', 'bin', asset_pk, now() FROM asset WHERE asset_ref = 'CAS/BIN/"
                + i
                + "'");
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct, tilt_deg)"
                    + " SELECT 1, device_pk, ?, now(), 92, 2 FROM device WHERE device_id = ?")) {
          ps.setString(2, "bin-" + i);
          ps.setTimestamp(1, Timestamp.from(at.minus(Duration.ofMinutes(15))));
          ps.executeUpdate();
          ps.setTimestamp(1, Timestamp.from(at));
          ps.executeUpdate();
        }
      }
    }
  }
}
