package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.auth.ApiKeyRepository;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestBins;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
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
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bin rationalisation report from a terminal and through the REST API, on real PostgreSQL with
 * four weeks of readings for a few bins: the table and the CSV, the JSON for the key's council
 * only, and bad weeks refused with a message (exit code 2, HTTP 400).
 */
class RationalisationApiIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void reportsTheCouncilsBinsOnTheCommandLineAndThroughTheApi(@TempDir Path dir) throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      Councils councils = new Councils(ds);
      CouncilRef town = councils.find("default").orElseThrow();
      CouncilRef other = councils.add("other-town", "Other Town");
      ApiKeyRepository keys = new ApiKeyRepository(ds);
      String viewer = keys.create(town, "wall screen").reveal();
      String theirs = keys.create(other, "theirs").reveal();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Instant from = now.minus(Duration.ofDays(28));
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute("SELECT ensure_reading_partitions(current_date - 30, current_date + 1)");
        // 2.5 points an hour, emptied every 3 days: 32 h at 100 % each time
        TestBins.readings(
            c, town, TestBins.bin(c, town, "OVER/1", "High Street"), from, now, 2.5, 72);
        // a quarter point an hour, emptied weekly at 42 %
        TestBins.readings(
            c, town, TestBins.bin(c, town, "UNDER/1", "Mill Road"), from, now, 0.25, 168);
        TestBins.bin(c, town, "SILENT/1", "Mill Road");
        TestBins.readings(
            c, other, TestBins.bin(c, other, "THEIRS/1", "Mill Road"), from, now, 2.5, 72);
      }

      Map<String, String> cliEnv =
          Map.of("KERBSIDE_DB_URL", db.url(), "KERBSIDE_DB_USER", TestServices.adminUser());
      Path csv = dir.resolve("out/rationalisation.csv");
      String table =
          cli(cliEnv, 0, "plan", "rationalise", "--council", "default", "--csv", csv.toString());
      assertThat(table)
          .contains("bin rationalisation - default, 4 weeks from ")
          .contains("upsize-or-add-lift 1, rebalance-street 0, remove-or-move 1, keep 1")
          .contains("written: " + csv)
          .doesNotContain("THEIRS/1");
      List<String> lines = table.lines().toList();
      int over =
          lines.indexOf(
              lines.stream().filter(l -> l.startsWith("OVER/1 ")).findFirst().orElseThrow());
      assertThat(lines.get(over)).contains("High Street", "upsize-or-add-lift");
      assertThat(lines.get(over + 1))
          .contains("288.0 h at or above 100 % in 4 weeks (more than 24 h); 9 lifts");
      List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
      assertThat(rows).hasSize(4);
      assertThat(rows.get(0)).startsWith("asset_ref,name,street,ward,readings,");
      // the command's four weeks end a moment after the readings' did: 671 or 672 readings
      assertThat(rows.get(1))
          .startsWith("OVER/1,,High Street,Market,67")
          .contains(",9,0,100.00,100.00,288.00,");
      assertThat(rows.get(2)).startsWith("UNDER/1,").contains(",remove-or-move,");
      assertThat(rows.get(3)).startsWith("SILENT/1,").contains(",0,0.00,0,0,,,,,");
      assertThat(cli(cliEnv, 0, "plan", "rationalise", "--council", "other-town"))
          .contains("THEIRS/1")
          .doesNotContain("OVER/1");
      assertThat(cli(cliEnv, 2, "plan", "rationalise", "--weeks", "0"))
          .contains("--weeks must be between 1 and 52, got 0");
      assertThat(cli(cliEnv, 2, "plan", "rationalise", "--council", "nowhere"))
          .contains("no council 'nowhere'");
      Map<String, String> badSetting = new HashMap<>(cliEnv);
      badSetting.put("KERBSIDE_RATIONALISATION_OVERFLOW_PCT", "lots");
      assertThat(cli(badSetting, 2, "plan", "rationalise"))
          .contains("KERBSIDE_RATIONALISATION_OVERFLOW_PCT must be a number, got 'lots'");

      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_HTTP_PORT", "0");
      env.put("KERBSIDE_RATIONALISATION_UPSIZE_OVERFLOW_H", "400");
      try (KerbsideProcess p =
          KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class))) {
        int port = p.httpPort();
        JsonObject report = body(get(port, "/api/v1/plans/rationalisation", viewer), 200);
        assertThat(report.getString("council")).isEqualTo("default");
        assertThat(report.getInteger("weeks")).isEqualTo(4);
        assertThat(report.getJsonObject("settings").getDouble("upsize_overflow_h"))
            .isEqualTo(400.0);
        JsonArray bins = report.getJsonArray("bins");
        assertThat(bins).hasSize(3);
        Map<String, JsonObject> byRef = new HashMap<>();
        bins.forEach(
            b ->
                byRef.put(
                    ((JsonObject) b).getJsonObject("asset").getString("ref"), (JsonObject) b));
        assertThat(byRef.keySet()).containsExactlyInAnyOrder("OVER/1", "UNDER/1", "SILENT/1");
        JsonObject overflowing = byRef.get("OVER/1");
        // 288 hours overflowing is within the 400 this process allows
        assertThat(overflowing.getString("recommendation")).isEqualTo("keep");
        assertThat(overflowing.getDouble("hours_overflowing")).isEqualTo(288.0);
        assertThat(overflowing.getInteger("lifts")).isEqualTo(9);
        assertThat(overflowing.getDouble("mean_fill_at_emptying_pct")).isEqualTo(100.0);
        assertThat(overflowing.getJsonObject("fill_rate_by_weekday").fieldNames())
            .containsExactlyInAnyOrder("mon", "tue", "wed", "thu", "fri", "sat", "sun");
        JsonObject underused = byRef.get("UNDER/1");
        assertThat(underused.getString("recommendation")).isEqualTo("remove-or-move");
        assertThat(underused.getString("reason"))
            .startsWith("mean fill at emptying 42 % over 3 lifts (below 50 %)");
        JsonObject silent = byRef.get("SILENT/1");
        assertThat(silent.getValue("mean_fill_at_emptying_pct")).isNull();
        assertThat(silent.getString("reason")).contains("the sensor is silent");
        assertThat(report.getJsonObject("counts").getInteger("remove-or-move")).isEqualTo(1);

        JsonObject oneWeek = body(get(port, "/api/v1/plans/rationalisation?weeks=1", viewer), 200);
        assertThat(oneWeek.getInteger("weeks")).isEqualTo(1);
        assertThat(
                Duration.between(
                    Instant.parse(oneWeek.getString("from")),
                    Instant.parse(oneWeek.getString("to"))))
            .isEqualTo(Duration.ofDays(7));

        for (String bad : List.of("0", "53", "-1", "four", "1.5", "99999999999")) {
          HttpResponse<String> r = get(port, "/api/v1/plans/rationalisation?weeks=" + bad, viewer);
          assertThat(r.statusCode()).as(bad).isEqualTo(400);
          assertThat(new JsonObject(r.body()).getString("error"))
              .isEqualTo("weeks must be a whole number between 1 and 52");
        }
        assertThat(get(port, "/api/v1/plans/rationalisation", null).statusCode()).isEqualTo(401);

        JsonObject their = body(get(port, "/api/v1/plans/rationalisation", theirs), 200);
        assertThat(their.getString("council")).isEqualTo("other-town");
        assertThat(their.getJsonArray("bins")).hasSize(1);
        assertThat(
                their.getJsonArray("bins").getJsonObject(0).getJsonObject("asset").getString("ref"))
            .isEqualTo("THEIRS/1");
        assertThat(their.encode()).doesNotContain("OVER/1", "UNDER/1", "SILENT/1");
      }
    }
  }

  /** Runs {@code kerbside args} in a child JVM; asserts its exit code and returns its output. */
  private static String cli(Map<String, String> env, int exitCode, String... args)
      throws Exception {
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
}
