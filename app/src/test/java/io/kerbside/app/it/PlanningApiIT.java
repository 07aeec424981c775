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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collection planning through a real process with a planning file: the first request for a day
 * plans it from the stored readings, alerts and schedules and stores it; the next shows the stored
 * plan; marking a stop emptied resolves the bin's alert; bad input is a 400, another council's plan
 * a 404. The day is a fixed date in the past, whatever day the test runs.
 */
class PlanningApiIT {
  /** A Tuesday; the round runs 07:00-14:00 London time (GMT in March). */
  private static final String DATE = "2026-03-03";

  private static final Instant ROUND_START = Instant.parse("2026-03-03T07:00:00Z");

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void theFirstRequestPlansTheDayAndAnEmptiedStopResolvesTheBinsAlert() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      Councils councils = new Councils(ds);
      CouncilRef council = councils.find("default").orElseThrow();
      CouncilRef other = councils.add("other-town", "Other Town");
      ApiKeyRepository keys = new ApiKeyRepository(ds);
      String viewer = keys.create(council, "depot screen").reveal();
      String operator = keys.create(council, "round crew", ApiRole.OPERATOR).reveal();
      String otherOperator = keys.create(other, "them", ApiRole.OPERATOR).reveal();
      storeBins(db);

      Path rounds = dir.resolve("rounds.yaml");
      Files.writeString(
          rounds,
          """
          zone: Europe/London
          solver: {iterations: 40}
          vehicles:
            - name: rcv-1
              capacity_l: 12000
              shift_start: "06:30"
              shift_end: "14:30"
              depot: {lat: 52.2053, lon: 0.1218}
          rounds:
            - name: daily
              start: "07:00"
              end: "14:00"
              vehicles: [rcv-1]
          """);
      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_HTTP_PORT", "0");
      env.put("KERBSIDE_ANALYTICS_POLL_INTERVAL_MS", "100");
      env.put("KERBSIDE_PLANNING_CONFIG", rounds.toString());
      // the readings are from a fixed day: keep and judge them whenever the test runs
      env.put("KERBSIDE_RETENTION_DAYS", "36500");
      env.put("KERBSIDE_ANALYTICS_CATCH_UP_H", String.valueOf(24 * 36_500));

      try (KerbsideProcess p =
          KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.ANALYTICS))) {
        int port = p.httpPort();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    db.count(
                            "SELECT count(*) FROM alert WHERE rule = 'bin-full'"
                                + " AND status = 'open'")
                        == 1);

        assertThat(get(port, "/api/v1/plans/collections?date=" + DATE, null).statusCode())
            .isEqualTo(401);
        assertThat(db.count("SELECT count(*) FROM collection_plan")).isZero();

        JsonObject day = body(get(port, "/api/v1/plans/collections?date=" + DATE, viewer), 200);
        assertThat(day.getBoolean("planning_configured")).isTrue();
        JsonArray plans = day.getJsonArray("plans");
        assertThat(plans).hasSize(1);
        JsonObject plan = plans.getJsonObject(0);
        assertThat(plan.getString("round")).isEqualTo("daily");
        assertThat(plan.getString("date")).isEqualTo(DATE);
        assertThat(plan.getInteger("bins_considered")).isEqualTo(3);
        Map<String, JsonObject> stops = new HashMap<>();
        plan.getJsonArray("stops")
            .forEach(
                o -> {
                  JsonObject s = (JsonObject) o;
                  stops.put(s.getJsonObject("asset").getString("ref"), s);
                });
        assertThat(stops).containsOnlyKeys("BIN/FULL", "BIN/SILENT");
        JsonObject full = stops.get("BIN/FULL");
        assertThat(full.getJsonArray("reasons").getList()).contains("alert", "predicted-fill");
        assertThat(full.getString("vehicle")).isEqualTo("rcv-1");
        assertThat(Instant.parse(full.getString("eta"))).isAfterOrEqualTo(ROUND_START);
        assertThat(stops.get("BIN/SILENT").getJsonArray("reasons").getList())
            .containsExactly("schedule");

        // the plan is stored: asked again, the same plan, not a new one
        JsonObject again =
            body(get(port, "/api/v1/plans/collections?date=" + DATE, viewer), 200)
                .getJsonArray("plans")
                .getJsonObject(0);
        assertThat(again.getLong("id")).isEqualTo(plan.getLong("id"));
        assertThat(db.count("SELECT count(*) FROM collection_plan")).isEqualTo(1);
        assertThat(
                body(get(port, "/api/v1/plans/collections?date=" + DATE, otherOperator), 200)
                    .getJsonArray("plans")
                    .stream()
                    .flatMap(o -> ((JsonObject) o).getJsonArray("stops").stream())
                    .toList())
            .as("the other council has no bins")
            .isEmpty();

        // bad input: a 400 that says why
        HttpResponse<String> noRound =
            get(port, "/api/v1/plans/collections?date=" + DATE + "&round=evening", viewer);
        assertThat(noRound.statusCode()).isEqualTo(400);
        assertThat(noRound.body()).contains("no round 'evening'", "daily");
        assertThat(get(port, "/api/v1/plans/collections?date=2026-02-30", viewer).statusCode())
            .isEqualTo(400);
        assertThat(get(port, "/api/v1/plans/collections?round=Bad%20Name", viewer).statusCode())
            .isEqualTo(400);

        String emptied =
            "/api/v1/plans/collections/"
                + plan.getLong("id")
                + "/stops/"
                + full.getInteger("stop")
                + "/emptied";
        assertThat(post(port, emptied, viewer).statusCode()).as("a viewer cannot").isEqualTo(403);
        assertThat(post(port, emptied, otherOperator).statusCode()).isEqualTo(404);
        JsonObject done = body(post(port, emptied, operator), 200);
        assertThat(done.getString("status")).isEqualTo("emptied");
        assertThat(done.getString("emptied_by")).endsWith(":round crew");
        assertThat(done.getJsonArray("resolved_alerts")).hasSize(1);
        assertThat(
                db.count(
                    "SELECT count(*) FROM alert WHERE rule = 'bin-full' AND status = 'resolved'"))
            .isEqualTo(1);
        assertThat(post(port, emptied, operator).statusCode()).as("emptied twice").isEqualTo(409);
        assertThat(
                post(
                        port,
                        "/api/v1/plans/collections/" + plan.getLong("id") + "/stops/0/emptied",
                        operator)
                    .statusCode())
            .isEqualTo(400);
      }
    }
  }

  /**
   * Three bins by the depot: one filling to 92 % by the round's morning (two readings over the
   * bin-full line), one at 20 %, and one whose sensor never reported, collected on Tuesdays.
   */
  private static void storeBins(TestDatabase db) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("SELECT ensure_reading_partitions(date '2026-03-01', date '2026-03-04')");
      for (String[] bin :
          List.of(
              new String[] {"BIN/FULL", "bin-full-1", "52.2060", "0.1230", "mon"},
              new String[] {"BIN/LOW", "bin-low-1", "52.2045", "0.1200", "mon"},
              new String[] {"BIN/SILENT", "bin-silent-1", "52.2070", "0.1250", "tue"})) {
        st.execute(
            "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, ward,"
                + " bin_depth_mm, bin_capacity_l, collection_days) VALUES (1, '"
                + bin[0]
                + "', 'bin', "
                + bin[2]
                + ", "
                + bin[3]
                + ", 'Market', 1000, 240, '"
                + bin[4]
                + "')");
        st.execute(
            "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at,"
                + " expected_interval_s) SELECT 1, '"
                + bin[1]
                + "', 'bin', asset_pk, timestamptz '2026-02-01 00:00Z', 3600 FROM asset"
                + " WHERE asset_ref = '"
                + bin[0]
                + "'");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct, tilt_deg)"
                  + " SELECT 1, device_pk, ?, ?, ?, 2 FROM device WHERE device_id = ?")) {
        Instant first = ROUND_START.minus(Duration.ofHours(24));
        for (int h = 0; h <= 23; h++) {
          Timestamp at = Timestamp.from(first.plus(Duration.ofHours(h)));
          ps.setTimestamp(1, at);
          ps.setTimestamp(2, at);
          ps.setDouble(3, 50 + 42.0 * h / 23);
          ps.setString(4, "bin-full-1");
          ps.addBatch();
          ps.setDouble(3, 18 + 2.0 * h / 23);
          ps.setString(4, "bin-low-1");
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private HttpResponse<String> get(int port, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(int port, String path, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject body(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }
}
