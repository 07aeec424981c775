package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRegistry;
import io.kerbside.registry.ImportReport;
import io.kerbside.sim.ProgressListener;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.Simulation;
import io.kerbside.sim.TownExport;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator's scenarios as the acceptance test of the analytics: a town registered from the
 * simulator's own asset list publishes through the real broker into a real process running ingest
 * and analytics; every fault and condition in the ground truth that a rule is meant to catch must
 * raise that rule's alert on that device, within its detection time, and every alert must be
 * explained by the ground truth. Precision and recall per rule are printed; {@code quiet-day}
 * raises nothing but a bin the town really filled.
 *
 * <p>Every run starts from a fixed simulated instant, never from the wall clock, so a run gives the
 * same result whenever it runs: by default the {@link #CI_STARTS} (night, dawn, day and dusk of a
 * winter and a summer day for {@code chaos}, each other scenario on a winter and a summer day). The
 * readings are old by the time the test runs, so the process keeps and evaluates history as far
 * back as the settings allow.
 *
 * <p>System properties: {@code kerbside.acceptance.devices=N} runs a bigger town (80 by default);
 * {@code kerbside.acceptance.starts} replaces the starts: {@code sweep} for the {@link
 * AlertSweepStarts year-long sweep}, or a comma-separated list of instants; {@code
 * kerbside.acceptance.scenarios} (comma-separated codes) limits the scenarios of a sweep or list;
 * {@code kerbside.acceptance.report=FILE} appends each run's figures as tab-separated lines, which
 * {@code scripts/alert-sweep.sh} sums up.
 */
class ScenarioAcceptanceIT {
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  /**
   * What the ground truth says and which rule should catch it. A required event missing its alert
   * is a miss; an optional one (a fault a rule may or may not see in the run's time, e.g. a battery
   * that has not sagged far enough yet) only counts when it explains an alert.
   */
  private record Expectation(String rule, boolean required, Duration lead) {
    Expectation(String rule, boolean required) {
      this(rule, required, Duration.ZERO);
    }
  }

  private static final Map<String, List<Expectation>> CATCHES =
      Map.ofEntries(
          Map.entry("fault:offline", List.of(new Expectation("device-offline", true))),
          Map.entry("fault:bin-fire", List.of(new Expectation("bin-fire", true))),
          Map.entry("fault:bin-knocked-over", List.of(new Expectation("bin-knocked-over", true))),
          Map.entry("fault:lamp-failure", List.of(new Expectation("lamp-failure", true))),
          // ice *risk* comes before ice: at +1 °C with moisture, or a fall toward it within 3 h
          Map.entry(
              "fault:pavement-freezing",
              List.of(new Expectation("ice-risk", true, Duration.ofHours(4)))),
          Map.entry(
              "condition:surface-ice",
              List.of(new Expectation("ice-risk", true, Duration.ofHours(4)))),
          // a wet surface at or below +1 °C is what councils grit for, frozen or not (yet)
          Map.entry(
              "condition:wet-near-freezing",
              List.of(new Expectation("ice-risk", false, Duration.ofHours(4)))),
          // a collection before the predicted time is what a prediction asks for
          Map.entry(
              "condition:bin-collected",
              List.of(new Expectation("bin-predicted-full", false, Duration.ofHours(24)))),
          // rejected messages are silence as far as Kerbside can tell
          Map.entry(
              "fault:malformed",
              List.of(new Expectation("device-offline", false, Duration.ofMinutes(45)))),
          Map.entry(
              "fault:clock-skew",
              List.of(new Expectation("device-offline", false, Duration.ofMinutes(45)))),
          Map.entry(
              "fault:impossible-spike",
              List.of(new Expectation("device-offline", false, Duration.ofMinutes(45)))),
          // the sensor reads the fill within about 0.4 points: a bin a few tenths under the line
          // reads over it twice in a row now and then, up to two readings early
          Map.entry(
              "condition:bin-full",
              List.of(
                  new Expectation("bin-full", true, Duration.ofMinutes(30)),
                  // a prediction comes before the bin is full, by up to the horizon
                  new Expectation("bin-predicted-full", false, Duration.ofHours(24)))),
          Map.entry("fault:day-burner", List.of(new Expectation("day-burner", false))),
          // an end-of-life lamp seen out at readings in a row at night has failed, for a while
          Map.entry(
              "fault:cycling-lamp",
              List.of(
                  new Expectation("lamp-cycling", false), new Expectation("lamp-failure", false))),
          Map.entry("fault:low-battery", List.of(new Expectation("battery-low", false))),
          // a stuck power meter reads out of band once the lamp dims or brightens
          Map.entry(
              "fault:stuck-value",
              List.of(
                  new Expectation("stuck-sensor", false),
                  new Expectation("lamp-power-band", false))),
          Map.entry("fault:drift", List.of(new Expectation("out-of-range-values", false))),
          // a bin above 70 % for two days: the rule and the simulator share the service standard
          Map.entry(
              "condition:bin-not-collected", List.of(new Expectation("bin-not-collected", true))),
          // a third of the frames lost: seen once the rule's window holds enough of them
          Map.entry("fault:frame-loss", List.of(new Expectation("frame-counter-gaps", false))),
          Map.entry(
              "condition:pothole",
              List.of(
                  new Expectation("pavement-roughness", false),
                  new Expectation("trip-hazard", false))));

  private record Event(
      String key, String device, String kind, Instant from, Instant until, Expectation expect) {}

  private record Raised(
      String rule,
      String device,
      Instant observedAt,
      Instant lastObservedAt,
      Instant predictedAt,
      String summary,
      boolean arrivedLate,
      Instant lastReadingAt) {}

  /** One run: a scenario from a fixed simulated start. */
  record Run(Scenario scenario, Instant start) {
    @Override
    public String toString() {
      return scenario.code() + " from " + start;
    }
  }

  private static final ZoneId TOWN = ZoneId.of("Europe/London");

  /** A winter and a summer day in the town, a weekday with collection rounds. */
  private static final LocalDate WINTER = LocalDate.of(2026, 1, 14);

  private static final LocalDate SUMMER = LocalDate.of(2026, 6, 17);

  /** The runs of every build. */
  static final List<Run> CI_STARTS =
      List.of(
          new Run(Scenario.QUIET_DAY, local(WINTER, "09:00")),
          new Run(Scenario.QUIET_DAY, local(SUMMER, "15:00")),
          new Run(Scenario.WINTER_NIGHT, local(WINTER, "16:00")),
          new Run(Scenario.WINTER_NIGHT, local(LocalDate.of(2026, 2, 24), "16:00")),
          new Run(Scenario.COLLECTION_DAY, local(WINTER, "05:00")),
          new Run(Scenario.COLLECTION_DAY, local(SUMMER, "05:00")),
          new Run(Scenario.CHAOS, local(WINTER, "02:00")), // night
          new Run(Scenario.CHAOS, local(WINTER, "07:20")), // dawn
          new Run(Scenario.CHAOS, local(WINTER, "12:00")), // day
          new Run(Scenario.CHAOS, local(WINTER, "15:50")), // dusk
          new Run(Scenario.CHAOS, local(SUMMER, "01:00")),
          new Run(Scenario.CHAOS, local(SUMMER, "04:10")),
          new Run(Scenario.CHAOS, local(SUMMER, "13:00")),
          new Run(Scenario.CHAOS, local(SUMMER, "20:50")),
          // a December dusk on which a freezing footway once read as a sensor fault
          new Run(Scenario.CHAOS, Instant.parse("2026-12-04T16:28:00Z")),
          // four winter days with something planned for every rule: all 17 must be caught
          new Run(Scenario.MULTI_DAY, local(WINTER, "09:00")));

  private static Instant local(LocalDate day, String time) {
    return day.atTime(LocalTime.parse(time)).atZone(TOWN).toInstant();
  }

  static List<Run> runs() {
    String starts = System.getProperty("kerbside.acceptance.starts", "").trim();
    if (starts.isEmpty()) {
      return CI_STARTS;
    }
    List<Instant> instants =
        starts.equals("sweep")
            ? AlertSweepStarts.instants()
            : Arrays.stream(starts.split(",")).map(String::trim).map(Instant::parse).toList();
    String only = System.getProperty("kerbside.acceptance.scenarios", "").trim();
    List<Scenario> scenarios =
        only.isEmpty()
            ? List.of(
                Scenario.QUIET_DAY, Scenario.WINTER_NIGHT, Scenario.COLLECTION_DAY, Scenario.CHAOS)
            : Arrays.stream(only.split(","))
                .map(c -> Scenario.fromCode(c).orElseThrow(() -> new IllegalArgumentException(c)))
                .toList();
    List<Run> out = new ArrayList<>();
    for (Scenario sc : scenarios) {
      for (Instant at : instants) {
        out.add(new Run(sc, at));
      }
    }
    return out;
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void everyFaultARuleShouldCatchRaisesItsAlertAndNothingElse(Run run) throws Exception {
    Scenario scenario = run.scenario();
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      String prefix = "acc" + UUID.randomUUID().toString().substring(0, 8);
      Path truth = dir.resolve(scenario.name() + ".jsonl");
      SimConfig config =
          SimConfig.builder()
              // multi-day needs only a device for each planned item (and takes four days)
              .devices(
                  Integer.getInteger(
                      "kerbside.acceptance.devices", scenario == Scenario.MULTI_DAY ? 30 : 80))
              .scenario(scenario)
              .seed(7)
              .start(run.start())
              // an hour a second: the stream stays in time order across the publisher's
              // connections, as it does live (at full speed one connection may run hours ahead)
              .speed(3600)
              .groundTruthFile(truth)
              .publish(
                  PublishOptions.builder()
                      .brokerUrl(TestServices.mqttUrl())
                      .topicPrefix(prefix)
                      .clientIdPrefix(prefix + "-sim")
                      .qos(1)
                      .build())
              .build();
      Simulation sim = Simulation.create(config);
      StringWriter town = new StringWriter();
      TownExport.writeCsv(sim.town(), town);
      ImportReport imported =
          new AssetRegistry(ds)
              .importList(
                  new CouncilRef(1, "default"), AssetFormat.CSV, new StringReader(town.toString()));
      assertThat(imported.rejected()).isEmpty();

      Path rules = dir.resolve("rules.yaml");
      // The simulator calls a bin full past 90 %; the rules are set to the same definition.
      Files.writeString(
          rules,
          "bin-full:\n  fill_pct: 90\n  clear_pct: 60\nbin-predicted-full:\n  fill_pct: 90\n");
      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
      env.put("KERBSIDE_MQTT_CLIENT_ID", prefix + "-ingest");
      env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/+/+=native@default");
      env.put("KERBSIDE_HTTP_PORT", "0");
      env.put("KERBSIDE_ANALYTICS_POLL_INTERVAL_MS", "200");
      env.put("KERBSIDE_ANALYTICS_CYCLE_INTERVAL_S", "2");
      env.put("KERBSIDE_ANALYTICS_RULES_FILE", rules.toString());
      // the runs replay fixed days, long past by now: keep and evaluate all of it
      env.put("KERBSIDE_RETENTION_DAYS", "36500");
      env.put("KERBSIDE_ANALYTICS_CATCH_UP_H", String.valueOf(24 * 36_500));

      try (KerbsideProcess p =
          KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST, Role.ANALYTICS))) {
        SimReport report = sim.run(ProgressListener.none());
        assertThat(report.failed()).isZero();
        long expected = report.expectedReadings();
        await()
            .atMost(PATIENCE)
            .until(() -> db.count("SELECT count(*) FROM kerbside.reading") >= expected);
        // Analytics has evaluated every device up to its newest reading ...
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    db.count(
                            "SELECT count(*) FROM kerbside.device d"
                                + " LEFT JOIN kerbside.analytics_progress p USING (device_pk)"
                                + " WHERE p.evaluated_until IS DISTINCT FROM"
                                + " (SELECT max(ts) FROM kerbside.reading r"
                                + " WHERE r.device_pk = d.device_pk)")
                        == 0);
        // ... and run its timer at least once since.
        Thread.sleep(5_000);
      }

      List<Event> events = groundTruth(truth);
      List<Raised> alerts = alerts(db);
      Map<String, Duration> intervals = intervals(db);
      Map<String, double[]> positions = positions(db);
      Scores scores = score(events, alerts, intervals, positions, runEnd(truth));
      System.out.println(scores.table(run));
      report(run, scores);

      if (scenario == Scenario.QUIET_DAY) {
        // No fault, no weather: at most a bin the town really filled (the ground truth says so,
        // and the unexplained check below holds it to that).
        assertThat(alerts.stream().filter(a -> !a.arrivedLate()).toList())
            .as("a quiet day raises nothing but a full bin")
            .allMatch(a -> a.rule().equals("bin-full"));
      }
      if (scenario == Scenario.MULTI_DAY) {
        // Every rule had something planned for it, and caught it.
        Set<String> caught = new TreeSet<>();
        scores.byRule.forEach(
            (rule, v) -> {
              if (v[3] > 0 && v[2] == v[3]) {
                caught.add(rule);
              }
            });
        assertThat(caught)
            .as("rules that caught every event planned for them")
            .containsAll(
                io.kerbside.analytics.rules.RuleCatalog.all().stream()
                    .map(r -> r.definition().code())
                    .toList());
      }
      assertThat(scores.missed).as("required events without their alert").isEmpty();
      assertThat(scores.unexplained).as("alerts the ground truth does not explain").isEmpty();
    }
  }

  /**
   * Appends the run's figures to the file named by {@code kerbside.acceptance.report}, one line per
   * rule ({@code rule, scenario, start, alerts, explained alerts, events, events caught, detection
   * delays in seconds}) and one per unexplained alert or missed event.
   */
  private static void report(Run run, Scores scores) throws Exception {
    String file = System.getProperty("kerbside.acceptance.report", "").trim();
    if (file.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    String where = run.scenario().code() + "\t" + run.start();
    for (Map.Entry<String, int[]> e : scores.byRule.entrySet()) {
      int[] v = e.getValue();
      String delays =
          scores.delays.getOrDefault(e.getKey(), List.of()).stream()
              .map(d -> Long.toString(d.toSeconds()))
              .collect(java.util.stream.Collectors.joining(","));
      b.append(
          String.format(
              Locale.ROOT,
              "rule\t%s\t%s\t%d\t%d\t%d\t%d\t%s%n",
              e.getKey(),
              where,
              v[1],
              v[0],
              v[3],
              v[2],
              delays.isEmpty() ? "-" : delays));
    }
    scores.unexplained.forEach(
        u -> b.append("unexplained\t").append(where).append('\t').append(u).append('\n'));
    scores.late.forEach(u -> b.append("late\t").append(where).append('\t').append(u).append('\n'));
    scores.missed.forEach(
        m -> b.append("missed\t").append(where).append('\t').append(m).append('\n'));
    Path out = Path.of(file);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    synchronized (ScenarioAcceptanceIT.class) {
      Files.writeString(
          out,
          b.toString(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  /**
   * The events of the ground truth: its faults and conditions, each with the rules {@link #CATCHES}
   * says should catch it, and the scenario's expectations ({@code multi-day}'s plan), each a
   * required event of its rule. A fault or condition that an expectation already covers (same rule,
   * device and time) is left to the expectation, so it counts once.
   */
  private static List<Event> groundTruth(Path truth) throws Exception {
    List<Event> out = new ArrayList<>();
    List<Event> expected = new ArrayList<>();
    for (String line : Files.readAllLines(truth)) {
      JsonObject r = new JsonObject(line);
      String record = r.getString("record");
      if ("expect".equals(record)) {
        String rule = r.getString("rule");
        expected.add(
            new Event(
                "expect:" + rule + " (" + r.getString("why") + ")",
                r.getString("device"),
                r.getString("kind"),
                Instant.parse(r.getString("from")),
                Instant.parse(r.getString("until")),
                new Expectation(rule, true)));
        continue;
      }
      if (!"fault".equals(record) && !"condition".equals(record)) {
        continue;
      }
      String key = record + ":" + r.getString("type");
      List<Expectation> catches = CATCHES.get(key);
      if (catches == null) {
        continue;
      }
      Instant from = Instant.parse(r.getString(r.containsKey("at") ? "at" : "from"));
      Instant until = r.containsKey("until") ? Instant.parse(r.getString("until")) : from;
      // a bin that never stood a point over the line, or stood over it for less than three
      // readings, may or may not read full twice in a row: it counts when it was caught
      boolean faintlyFull =
          key.equals("condition:bin-full")
              && (r.getDouble("peak_fill_pct", 100.0) < 91
                  || Duration.between(from, until).compareTo(Duration.ofMinutes(45)) < 0);
      for (Expectation c : catches) {
        Expectation e = faintlyFull ? new Expectation(c.rule(), false, c.lead()) : c;
        Event event = new Event(key, r.getString("device"), r.getString("kind"), from, until, e);
        boolean covered =
            expected.stream()
                .anyMatch(
                    x ->
                        x.expect().rule().equals(e.rule())
                            && x.device().equals(event.device())
                            && !x.until().isBefore(from)
                            && !x.from().isAfter(until));
        if (!covered) {
          out.add(event);
        }
      }
    }
    out.addAll(expected);
    return out;
  }

  private static Instant runEnd(Path truth) throws Exception {
    for (String line : Files.readAllLines(truth)) {
      JsonObject r = new JsonObject(line);
      if ("run".equals(r.getString("record"))) {
        return Instant.parse(r.getString("end"));
      }
    }
    throw new IllegalStateException("no run record in " + truth);
  }

  private static List<Raised> alerts(TestDatabase db) throws Exception {
    List<Raised> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT a.rule, d.device_id, a.observed_at, a.last_observed_at, a.predicted_at,"
                    + " a.summary,"
                    // the device never fell silent: its readings are all there, each within the
                    // rule's allowance of the one before, so only their order of arrival could
                    // have made it look silent
                    + " a.rule = 'device-offline' AND EXISTS (SELECT 1 FROM reading r"
                    + " WHERE r.device_pk = a.device_pk AND r.ts > a.observed_at"
                    + " AND r.ts <= a.observed_at + 3 * d.expected_interval_s * interval '1 second')"
                    + ", (SELECT max(r.ts) FROM reading r WHERE r.device_pk = a.device_pk)"
                    + " FROM alert a"
                    + " JOIN device d USING (device_pk) ORDER BY a.alert_id")) {
      while (rs.next()) {
        out.add(
            new Raised(
                rs.getString(1),
                rs.getString(2),
                rs.getTimestamp(3).toInstant(),
                rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(),
                rs.getString(6),
                rs.getBoolean(7),
                rs.getTimestamp(8).toInstant()));
      }
    }
    return out;
  }

  /** Each device's asset position (latitude, longitude), for the sun at a lamp. */
  private static Map<String, double[]> positions(TestDatabase db) throws Exception {
    Map<String, double[]> out = new HashMap<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT d.device_id, a.latitude, a.longitude FROM device d JOIN asset a"
                    + " USING (asset_pk)")) {
      while (rs.next()) {
        out.put(rs.getString(1), new double[] {rs.getDouble(2), rs.getDouble(3)});
      }
    }
    return out;
  }

  /**
   * True when a lamp fault can be seen: for at least three readings' worth of it (30 minutes) the
   * sun at the lamp was below −4.5°, where the rule expects a lamp to be lit. A chaos run that ends
   * at dawn or starts at dusk may give a failed lamp no dark reading at all.
   */
  private static boolean darkEnough(double[] position, Instant from, Instant until) {
    if (position == null) {
      return false;
    }
    int darkMinutes = 0;
    for (Instant t = from; !t.isAfter(until); t = t.plus(Duration.ofMinutes(5))) {
      if (io.kerbside.analytics.rules.SunClock.altitudeDeg(position[0], position[1], t) < -4.5) {
        darkMinutes += 5;
      }
    }
    return darkMinutes >= 30;
  }

  private static Map<String, Duration> intervals(TestDatabase db) throws Exception {
    Map<String, Duration> out = new HashMap<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT device_id, expected_interval_s FROM device")) {
      while (rs.next()) {
        out.put(rs.getString(1), Duration.ofSeconds(rs.getInt(2)));
      }
    }
    return out;
  }

  private static final class Scores {
    final Map<String, int[]> byRule = new TreeMap<>(); // rule -> {tp alerts, alerts, hit, required}
    final List<String> missed = new ArrayList<>();
    final List<String> unexplained = new ArrayList<>();
    final List<String> late = new ArrayList<>();
    final Map<String, List<Duration>> delays = new TreeMap<>();

    String table(Run run) {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "%n%s: precision and recall per rule%n", run));
      b.append(
          String.format(
              Locale.ROOT,
              "%-22s %7s %9s %7s %9s %6s  %s%n",
              "rule",
              "alerts",
              "precision",
              "events",
              "recall",
              "missed",
              "detection delay (median, simulated time)"));
      for (Map.Entry<String, int[]> e : byRule.entrySet()) {
        int[] v = e.getValue();
        List<Duration> d = delays.getOrDefault(e.getKey(), List.of());
        b.append(
            String.format(
                Locale.ROOT,
                "%-22s %7d %9s %7d %9s %6d  %s%n",
                e.getKey(),
                v[1],
                v[1] == 0 ? "-" : String.format(Locale.ROOT, "%.2f", v[0] / (double) v[1]),
                v[3],
                v[3] == 0 ? "-" : String.format(Locale.ROOT, "%.2f", v[2] / (double) v[3]),
                v[3] - v[2],
                d.isEmpty() ? "-" : d.stream().sorted().toList().get(d.size() / 2).toString()));
      }
      missed.forEach(m -> b.append("  missed: ").append(m).append('\n'));
      unexplained.forEach(u -> b.append("  unexplained: ").append(u).append('\n'));
      late.forEach(u -> b.append("  arrived out of order: ").append(u).append('\n'));
      return b.toString();
    }
  }

  /**
   * An alert explains an event when rule and device agree and the alert's condition was observed
   * (from its first to its last observation) between one reporting interval before the event began
   * (earlier by the expectation's lead) and three intervals after it ended.
   */
  private static Scores score(
      List<Event> events,
      List<Raised> alerts,
      Map<String, Duration> intervals,
      Map<String, double[]> positions,
      Instant runEnd) {
    Scores s = new Scores();
    Set<Integer> explained = new TreeSet<>();
    for (Event e : events) {
      Duration interval = intervals.getOrDefault(e.device(), Duration.ofMinutes(15));
      Instant earliest = e.from().minus(interval).minus(e.expect().lead());
      Instant latest = e.until().plus(interval.multipliedBy(3));
      int[] v = s.byRule.computeIfAbsent(e.expect().rule(), k -> new int[4]);
      boolean hit = false;
      for (int i = 0; i < alerts.size(); i++) {
        Raised a = alerts.get(i);
        // an alert already active when the event began covers it too
        if (a.rule().equals(e.expect().rule())
            && a.device().equals(e.device())
            && !a.lastObservedAt().isBefore(earliest)
            && !a.observedAt().isAfter(latest)) {
          explained.add(i);
          if (!hit) {
            s.delays
                .computeIfAbsent(a.rule(), k -> new ArrayList<>())
                .add(
                    Duration.between(e.from(), a.observedAt()).isNegative()
                        ? Duration.ZERO
                        : Duration.between(e.from(), a.observedAt()));
          }
          hit = true;
        }
      }
      // an outage no longer than the rule's allowance (three intervals) is not "offline",
      // a lamp failure needs a dark sky to be seen, and an event that began less than the
      // allowance before the run ended may be seen only after it (it counts when it was caught)
      boolean required =
          e.expect().required()
              && !e.from().plus(interval.multipliedBy(3)).isAfter(runEnd)
              && !(e.key().equals("fault:offline")
                  && Duration.between(e.from(), e.until()).compareTo(interval.multipliedBy(3)) <= 0)
              && !(e.key().equals("fault:lamp-failure")
                  && !darkEnough(positions.get(e.device()), e.from(), e.until()));
      if (required) {
        v[3]++;
        if (hit) {
          v[2]++;
        } else {
          s.missed.add(e.key() + " on " + e.device() + " from " + e.from() + " until " + e.until());
        }
      } else if (hit) {
        v[3]++;
        v[2]++;
      }
    }
    for (int i = 0; i < alerts.size(); i++) {
      Raised a = alerts.get(i);
      if (!explained.contains(i)
          && a.predictedAt() != null
          && a.predictedAt().isAfter(a.lastReadingAt())) {
        continue; // a prediction for after the device's last reading: neither right nor wrong yet
      }
      if (!explained.contains(i) && a.arrivedLate()) {
        // The publisher compresses an hour into a second over several connections: one that
        // stalls for half a second falls half an hour behind the others, and Kerbside judged
        // the stream in the order it came. Listed, not scored.
        s.late.add(a.rule() + " on " + a.device() + " observed " + a.observedAt());
        continue;
      }
      int[] v = s.byRule.computeIfAbsent(a.rule(), k -> new int[4]);
      v[1]++;
      if (explained.contains(i)) {
        v[0]++;
      } else {
        s.unexplained.add(a.rule() + " on " + a.device() + " observed " + a.observedAt());
      }
    }
    return s;
  }
}
