package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code ./kerbside demo}, as a user runs it: from nothing, and against external services. */
class DemoIT {
  private static final Pattern EXPECTED =
      Pattern.compile("expected in Kerbside: ([\\d,]+) readings");
  private static final Pattern STORED =
      Pattern.compile("stored ([\\d,]+) readings, ([\\d,]+) duplicates, ([\\d,]+) dead letters");

  private static Path launcher() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("kerbside"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the kerbside launcher above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir.resolve("kerbside");
  }

  private static String runDemo(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", launcher().toString(), "demo"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("KERBSIDE_") && !k.startsWith("KERBSIDE_TEST_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static long number(Pattern p, String text, int group) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as("'" + p + "' in:\n" + text).isTrue();
    return Long.parseLong(m.group(group).replace(",", ""));
  }

  @Test
  void startsFromNothingAndStoresWhatTheTownSends() throws Exception {
    Path dir = Files.createTempDirectory("kerbside-demo-it");
    try {
      String out =
          runDemo(
              Map.of("KERBSIDE_DEMO_DIR", dir.toString(), "KERBSIDE_HTTP_PORT", "0"),
              "--fresh",
              "--devices",
              "30",
              "--speed",
              "0",
              "--duration",
              "2h",
              "--once",
              "--mqtt-port",
              "0",
              "--db-port",
              "0");
      assertThat(out)
          .contains("embedded PostgreSQL", "embedded MQTT broker", "Kerbside demo is running");
      long expected = number(EXPECTED, out, 1);
      assertThat(expected).isPositive();
      assertThat(number(STORED, out, 1)).isEqualTo(expected);
      assertThat(number(STORED, out, 3)).isZero();
      assertThat(dir.resolve("postgres/PG_VERSION")).exists();
    } finally {
      deleteTree(dir);
    }
  }

  @Test
  void usesTheDatabaseAndBrokerNamedByTheEnvironment() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES)) {
      String out =
          runDemo(
              Map.of(
                  "KERBSIDE_DB_URL", db.url(),
                  "KERBSIDE_DB_USER", TestServices.adminUser(),
                  "KERBSIDE_MQTT_URL", TestServices.mqttUrl(),
                  "KERBSIDE_MQTT_CLIENT_ID", "demo-it-" + System.nanoTime(),
                  "KERBSIDE_HTTP_PORT", "0"),
              "--devices",
              "20",
              "--speed",
              "0",
              "--duration",
              "1h",
              "--once");
      assertThat(out).doesNotContain("embedded PostgreSQL").contains(db.url());
      long expected = number(EXPECTED, out, 1);
      assertThat(db.count("SELECT count(*) FROM reading")).isEqualTo(expected);
    }
  }

  private static final Pattern CREW_LINK =
      Pattern.compile("crew page  (http://127\\.0\\.0\\.1:\\d+)/crew/#t=(\\S+)");

  private static final Pattern EMBEDDED_DB =
      Pattern.compile("embedded PostgreSQL (jdbc:postgresql://\\S+)");

  @Test
  void raisesItsFirstAlertsWithinAMinuteOfStarting() throws Exception {
    Path dir = Files.createTempDirectory("kerbside-demo-alerts-it");
    List<String> cmd =
        List.of(
            "bash", launcher().toString(), "demo", "--fresh", "--mqtt-port", "0", "--db-port", "0");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("KERBSIDE_") && !k.startsWith("KERBSIDE_TEST_"));
    pb.environment().putAll(Map.of("KERBSIDE_DEMO_DIR", dir.toString(), "KERBSIDE_HTTP_PORT", "0"));
    long started = System.nanoTime();
    Process p = pb.start();
    StringBuffer out = new StringBuffer();
    Thread reader =
        new Thread(
            () -> {
              try (var lines =
                  new java.io.BufferedReader(
                      new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  out.append(line).append('\n');
                }
              } catch (IOException e) {
                out.append("(output unreadable: ").append(e).append(")\n");
              }
            });
    reader.start();
    try {
      long deadline = started + TimeUnit.SECONDS.toNanos(60);
      long alerts = 0;
      String url = null;
      while (System.nanoTime() < deadline && alerts == 0) {
        Thread.sleep(1000);
        assertThat(p.isAlive()).as(out.toString()).isTrue();
        if (url == null) {
          Matcher m = EMBEDDED_DB.matcher(out);
          if (m.find() && out.indexOf("Kerbside demo is running") >= 0) {
            url = m.group(1);
          }
          continue;
        }
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", "");
            var st = c.createStatement();
            var rs = st.executeQuery("SELECT count(*) FROM kerbside.alert")) {
          rs.next();
          alerts = rs.getLong(1);
        }
      }
      assertThat(alerts)
          .as("alerts in the demo's database 60 s after it was started; its output:\n" + out)
          .isPositive();
      assertThat(out.toString()).contains("user grafana", "grafana/provisioning");

      // the printed crew link opens the crew page, and a crew acts on an alert with it
      Matcher crew = CREW_LINK.matcher(out);
      assertThat(crew.find()).as("a crew link in the banner:\n" + out).isTrue();
      String base = crew.group(1);
      String token = crew.group(2);
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      var page =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/crew/")).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).containsIgnoringCase("<html");
      long alertId;
      try (var c = java.sql.DriverManager.getConnection(url, "postgres", "");
          var st = c.createStatement();
          var rs =
              st.executeQuery(
                  "SELECT alert_id FROM kerbside.alert WHERE status = 'open' ORDER BY alert_id"
                      + " LIMIT 1")) {
        assertThat(rs.next()).isTrue();
        alertId = rs.getLong(1);
      }
      var ack =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(base + "/api/v1/alerts/" + alertId + "/acknowledge"))
                  .header("Authorization", "Crew " + token)
                  .header("Content-Type", "application/json")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"note\":\"on it\"}"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
      assertThat(ack.body()).contains("crew:Demo crew");
    } finally {
      p.destroy();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
