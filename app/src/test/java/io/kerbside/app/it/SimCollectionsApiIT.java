package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.auth.ApiKeyRepository;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.Simulation;
import io.kerbside.sim.town.Asset;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kerbside sim --collections-api} against a real Kerbside process with a planning file: the
 * simulator fetches the day's plan at 05:00 of the simulated day (the API plans it then, from the
 * registered bins), and its ground truth shows exactly the planned bins emptied, each at its stop's
 * ETA, and the others not. A wrong key, or a key of another council, stops the simulator with exit
 * status 2 and a message without the key. The day is a fixed date in the past and the run starts at
 * a fixed instant, whatever day the test runs.
 */
class SimCollectionsApiIT {
  /** A Tuesday; London is on GMT in March. */
  private static final String DATE = "2026-03-03";

  private static final String START = "2026-03-03T04:00";
  private static final int DEVICES = 30;

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void theSimulatorEmptiesExactlyTheBinsOfTheApisPlanAtTheirEtas() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      Councils councils = new Councils(ds);
      CouncilRef council = councils.find("default").orElseThrow();
      CouncilRef other = councils.add("other-town", "Other Town");
      ApiKeyRepository keys = new ApiKeyRepository(ds);
      String viewer = keys.create(council, "simulator").reveal();
      String otherViewer = keys.create(other, "them").reveal();

      // the simulator's town, bins only, registered with every other bin on Tuesday's round;
      // no sensor has reported, so the plan takes the bins whose schedule names Tuesday
      List<Asset> bins =
          Simulation.create(
                  SimConfig.builder()
                      .devices(DEVICES)
                      .binsOnly(true)
                      .scenario(Scenario.COLLECTION_WEEK)
                      .build())
              .town()
              .assets();
      assertThat(bins).allMatch(a -> a.kind() == DeviceKind.BIN).hasSizeGreaterThan(3);
      Set<String> scheduled = new HashSet<>();
      Map<String, String> refByDevice = new HashMap<>();
      try (Connection c = db.connect();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, ward,"
                      + " bin_depth_mm, bin_capacity_l, collection_days)"
                      + " VALUES (?, ?, 'bin', ?, ?, ?, ?, ?, ?)")) {
        for (Asset a : bins) {
          boolean tuesday = a.index() % 2 == 0;
          if (tuesday) {
            scheduled.add(a.assetRef());
          }
          refByDevice.put(a.deviceId().value(), a.assetRef());
          ps.setInt(1, council.id());
          ps.setString(2, a.assetRef());
          ps.setDouble(3, a.location().latitude());
          ps.setDouble(4, a.location().longitude());
          ps.setString(5, a.ward());
          ps.setInt(6, a.bin().depthMm());
          ps.setInt(7, a.bin().capacityL());
          ps.setString(8, tuesday ? "tue" : "mon");
          ps.addBatch();
        }
        ps.executeBatch();
      }

      Path rounds = dir.resolve("rounds.yaml");
      Files.writeString(
          rounds,
          """
          zone: Europe/London
          solver: {iterations: 40}
          vehicles:
            - name: rcv-1
              capacity_l: 40000
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
      env.put("KERBSIDE_PLANNING_CONFIG", rounds.toString());

      try (KerbsideProcess p =
          KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class))) {
        String api = "http://127.0.0.1:" + p.httpPort();
        Path groundTruth = dir.resolve("truth.jsonl");

        String out = sim(viewer, 0, api, "--ground-truth", groundTruth.toString());
        assertThat(out)
            .contains(
                "collections of "
                    + DATE
                    + " from "
                    + api
                    + "/api/v1/plans/collections?date="
                    + DATE
                    + ": 1 plan (daily)")
            .doesNotContain(viewer);

        // the plan the simulator was given: the API stored it when it planned the day
        JsonObject day = body(get(api + "/api/v1/plans/collections?date=" + DATE, viewer));
        JsonArray plans = day.getJsonArray("plans");
        assertThat(plans).hasSize(1);
        Map<String, Instant> etas = new HashMap<>();
        for (Object o : plans.getJsonObject(0).getJsonArray("stops")) {
          JsonObject s = (JsonObject) o;
          assertThat(s.getString("eta")).as("every scheduled bin is routed").isNotNull();
          etas.put(s.getJsonObject("asset").getString("ref"), Instant.parse(s.getString("eta")));
        }
        assertThat(etas.keySet()).isEqualTo(scheduled);

        Map<String, List<Instant>> collected = new HashMap<>();
        for (String line : Files.readAllLines(groundTruth, StandardCharsets.UTF_8)) {
          JsonObject r = new JsonObject(line);
          if ("condition".equals(r.getString("record"))
              && "bin-collected".equals(r.getString("type"))) {
            collected
                .computeIfAbsent(refByDevice.get(r.getString("device")), k -> new ArrayList<>())
                .add(Instant.parse(r.getString("at")));
          }
        }
        // each planned bin once, at its stop's ETA; the others (and the fixed rounds) never
        Map<String, List<Instant>> expected = new HashMap<>();
        etas.forEach((ref, eta) -> expected.put(ref, List.of(eta)));
        assertThat(collected).isEqualTo(expected);

        // a wrong key: refused by the API, the simulator stops and does not show the key
        String wrongKey = "ks-wrong-" + UUID.randomUUID();
        String refused = sim(wrongKey, 2, api);
        assertThat(refused)
            .contains("--collections-api GET " + api + "/api/v1/plans/collections?date=" + DATE)
            .contains("401")
            .contains("KERBSIDE_SIM_API_KEY")
            .doesNotContain(wrongKey);

        // another council's key gives that council's plan, which the simulator refuses
        String theirs = sim(otherViewer, 2, api);
        assertThat(theirs)
            .contains("a plan of council 'other-town', not of 'default'; refusing it")
            .doesNotContain(otherViewer);
      }
    }
  }

  /**
   * Runs {@code kerbside sim} on the town from {@link #START} for 12 hours, as fast as possible, in
   * a child JVM with {@code key} as its API key; asserts its exit code and returns its output.
   */
  private String sim(String key, int exitCode, String api, String... more) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.kerbside.app.cli.KerbsideCli");
    String prefix = "simapi" + UUID.randomUUID().toString().substring(0, 8);
    cmd.addAll(
        List.of(
            "sim",
            "--scenario",
            "collection-week",
            "--bins-only",
            "--devices",
            String.valueOf(DEVICES),
            "--start",
            START,
            "--duration",
            "12h",
            "--speed",
            "0",
            "--mqtt-url",
            TestServices.mqttUrl(),
            "--topic-prefix",
            prefix,
            "--client-id-prefix",
            prefix,
            "--collections-api",
            api));
    cmd.addAll(List.of(more));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("KERBSIDE_"));
    pb.environment().put("KERBSIDE_SIM_API_KEY", key);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isEqualTo(exitCode);
    return out;
  }

  private HttpResponse<String> get(String url, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject body(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }
}
