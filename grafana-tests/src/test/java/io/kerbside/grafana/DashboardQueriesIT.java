package io.kerbside.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.core.testing.TestServices;
import io.kerbside.grafana.GrafanaFiles.Dashboard;
import io.kerbside.grafana.GrafanaFiles.PanelQuery;
import io.kerbside.grafana.GrafanaMacros.Dialect;
import io.kerbside.grafana.GrafanaMacros.TimeRange;
import io.kerbside.sim.Scenario;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every dashboard query, expanded as Grafana expands it, against real data: the SQL panels as the
 * read-only role on TimescaleDB and on plain PostgreSQL, each loaded with a simulated winter night
 * stored by a running Kerbside, with the alerts its analytics raised; the PromQL panels against a
 * real Prometheus scraping that Kerbside.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardQueriesIT {
  /**
   * Panels that show rare events or faults (fire, knocked-over bins, failing lamps, mangled
   * messages); a night or a day of a small town may have none, so they must run and return the
   * right columns but may be empty.
   */
  private static final Set<String> MAY_BE_EMPTY =
      Set.of(
          "kerbside-bins / Full, or full within 24 h",
          "kerbside-bins / Fire and tilt events",
          "kerbside-streetlights / Lamps needing attention",
          "kerbside-ingest / Dead letters by reason");

  /** What a scenario does not produce: a mild collection day has no icy pavement. */
  private static final Map<Scenario, Set<String>> SCENARIO_MAY_BE_EMPTY =
      Map.of(Scenario.COLLECTION_DAY, Set.of("kerbside-pavements / Ice-risk sections"));

  private static final Pattern DATA_FIELD = Pattern.compile("__data\\.fields\\.(\\w+)");
  private static final Duration SCRAPE = Duration.ofSeconds(15);

  /** How the variables are set: "All" where allowed, or the first option of each. */
  enum Choice {
    ALL,
    FIRST
  }

  private final Map<TestServices.Db, SimulatedTown> towns = new EnumMap<>(TestServices.Db.class);
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  void loadTowns() throws Exception {
    for (TestServices.Db cluster : TestServices.Db.values()) {
      towns.put(cluster, SimulatedTown.load(cluster, 90, Duration.ofHours(8)));
    }
  }

  @AfterAll
  void closeTowns() throws Exception {
    for (SimulatedTown t : towns.values()) {
      t.close();
    }
    TestServicesScript.run("prom-stop");
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void everySqlPanelRunsAsTheReadOnlyRoleAndReturnsItsColumns(TestServices.Db cluster)
      throws Exception {
    SimulatedTown town = towns.get(cluster);
    List<String> failures = new ArrayList<>();
    List<String> rowCounts = new ArrayList<>();
    int checked = 0;
    try (Connection c = town.asGrafana()) {
      for (SimulatedTown.Town council : town.towns) {
        TimeRange range = new TimeRange(council.start(), council.end());
        for (Dashboard d : GrafanaFiles.dashboards()) {
          for (Choice choice : Choice.values()) {
            GrafanaMacros macros =
                resolveSqlVariables(c, d, range, town.timescale(), choice, council.councilId());
            Map<JsonNode, Set<String>> panelColumns = new java.util.IdentityHashMap<>();
            for (PanelQuery q : d.queries()) {
              if (!q.isSql()) {
                continue;
              }
              String sql = macros.sql(q.text(), q.minInterval());
              String where = cluster + " " + council.slug() + " " + choice + " " + q.name();
              try {
                Result r = run(c, sql);
                failures.addAll(shapeProblems(q, r, where));
                panelColumns
                    .computeIfAbsent(q.panel(), k -> new java.util.HashSet<>())
                    .addAll(r.columns);
                rowCounts.add(where + ": " + r.rows.size() + " rows");
                if (r.rows.isEmpty() && mustHaveRows(q, choice, council.scenario())) {
                  failures.add(where + ": no rows");
                }
                checked++;
              } catch (SQLException e) {
                failures.add(where + ": " + e.getMessage() + "\n" + sql);
              }
            }
            panelColumns.forEach(
                (panel, columns) ->
                    failures.addAll(
                        fieldProblems(
                            panel, columns, cluster + " " + council.slug() + " " + choice)));
          }
        }
      }
    }
    rowCounts.forEach(System.out::println);
    assertThat(failures).as("panel problems").isEmpty();
    assertThat(checked).isGreaterThan(80);
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void everySqlTemplateVariableResolvesToOptions(TestServices.Db cluster) throws Exception {
    SimulatedTown town = towns.get(cluster);
    Map<String, Integer> offered = new java.util.TreeMap<>();
    try (Connection c = town.asGrafana()) {
      for (SimulatedTown.Town council : town.towns) {
        TimeRange range = new TimeRange(council.start(), council.end());
        for (Dashboard d : GrafanaFiles.dashboards()) {
          GrafanaMacros macros = new GrafanaMacros(range, town.timescale());
          for (TemplateVariable v : d.variables()) {
            if (v.type().equals("query") && !v.dataSourceUid().equals("kerbside-db")) {
              continue;
            }
            List<String> options = options(c, macros, v);
            offered.merge(d.uid() + " $" + v.name(), options.size(), Integer::sum);
            if (v.name().equals("council")) {
              assertThat(options).contains(String.valueOf(council.councilId()));
              options = List.of(String.valueOf(council.councilId()));
            } else if (v.name().equals("ward")) {
              assertThat(options).as(d.uid() + " $ward of " + council.slug()).isNotEmpty();
            }
            macros.select(
                v,
                options.isEmpty() ? List.of(GrafanaMacros.ALL) : List.of(options.get(0)),
                options);
          }
        }
      }
    }
    // Every variable offers options in at least one council (alert rules where alerts exist).
    assertThat(offered).allSatisfy((name, n) -> assertThat(n).as(name).isPositive());
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void theBinsDashboardShowsEveryBinsRecommendationAndTheStoredPlanWithItsEmptiedStop(
      TestServices.Db cluster) throws Exception {
    SimulatedTown town = towns.get(cluster);
    Dashboard bins =
        GrafanaFiles.dashboards().stream()
            .filter(d -> d.uid().equals("kerbside-bins"))
            .findFirst()
            .orElseThrow();
    try (Connection c = town.asGrafana()) {
      for (SimulatedTown.Town council : town.towns) {
        TimeRange range = new TimeRange(council.start(), council.end());
        GrafanaMacros macros =
            resolveSqlVariables(c, bins, range, town.timescale(), Choice.ALL, council.councilId());
        Map<String, Result> byTitle = new java.util.HashMap<>();
        for (PanelQuery q : bins.queries()) {
          String refId = q.target().path("refId").asText();
          byTitle.put(
              q.panel().path("title").asText() + (refId.equals("A") ? "" : " " + refId),
              run(c, macros.sql(q.text(), q.minInterval())));
        }
        long activeBins =
            count(
                c,
                "SELECT count(*) FROM kerbside.asset WHERE kind = 'bin' AND status = 'active'"
                    + " AND council_id = "
                    + council.councilId());
        Result rationalisation = byTitle.get("Bin rationalisation");
        assertThat(rationalisation.rows).as(council.slug()).hasSize((int) activeBins);
        int recommendation = rationalisation.columns.indexOf("recommendation");
        assertThat(rationalisation.rows)
            .allSatisfy(
                row ->
                    assertThat(row.get(recommendation))
                        .isIn("upsize-or-add-lift", "rebalance-street", "remove-or-move", "keep"));
        Result stops = byTitle.get("Collection stops");
        assertThat(stops.columns)
            .contains("vehicle", "route_order", "asset_ref", "eta", "reasons", "emptied_at");
        int by = stops.columns.indexOf("emptied_by");
        assertThat(stops.rows.stream().filter(row -> "crew:grafana-tests".equals(row.get(by))))
            .as(council.slug() + ": the stop a crew emptied")
            .hasSize(1);
        Result map = byTitle.get("Today's collection routes");
        int order = map.columns.indexOf("route_order");
        int vehicle = map.columns.indexOf("vehicle");
        for (int i = 1; i < map.rows.size(); i++) {
          if (map.rows.get(i).get(vehicle).equals(map.rows.get(i - 1).get(vehicle))) {
            assertThat((Integer) map.rows.get(i).get(order))
                .as(council.slug() + ": stops in driving order")
                .isEqualTo((Integer) map.rows.get(i - 1).get(order) + 1);
          }
        }
        assertRouteLines(council.slug(), map, byTitle);
      }
    }
  }

  /**
   * The map's route layers (queries R1, R2, ...) draw each vehicle's route of the stops query (A,
   * every ward) as one line: from its depot through its stops in driving order and back to the same
   * depot; the layers beyond the day's routes are empty.
   */
  private static void assertRouteLines(String council, Result stops, Map<String, Result> byTitle) {
    int round = stops.columns.indexOf("round");
    int vehicle = stops.columns.indexOf("vehicle");
    int ref = stops.columns.indexOf("asset_ref");
    Map<String, List<Object>> stopsByRoute = new java.util.TreeMap<>();
    for (List<Object> row : stops.rows) {
      stopsByRoute
          .computeIfAbsent(row.get(round) + "\u0000" + row.get(vehicle), k -> new ArrayList<>())
          .add(row.get(ref));
    }
    assertThat(stopsByRoute).as(council + ": routes planned").isNotEmpty();
    List<String> routes = new ArrayList<>(stopsByRoute.keySet());
    int layers = 0;
    while (byTitle.containsKey("Today's collection routes R" + (layers + 1))) {
      layers++;
    }
    assertThat(layers).as("route layers").isGreaterThanOrEqualTo(routes.size());
    for (int k = 1; k <= layers; k++) {
      Result line = byTitle.get("Today's collection routes R" + k);
      if (k > routes.size()) {
        assertThat(line.rows).as(council + ": route " + k + " is not planned").isEmpty();
        continue;
      }
      String route = routes.get(k - 1);
      int lat = line.columns.indexOf("latitude");
      int lon = line.columns.indexOf("longitude");
      int status = line.columns.indexOf("status");
      int seq = line.columns.indexOf("seq");
      List<List<Object>> rows = line.rows;
      assertThat(rows).as(council + " " + route).hasSize(stopsByRoute.get(route).size() + 2);
      List<Object> first = rows.get(0);
      List<Object> last = rows.get(rows.size() - 1);
      assertThat(List.of(first.get(status), last.get(status))).containsOnly("depot");
      assertThat(List.of(last.get(lat), last.get(lon)))
          .as(council + " " + route + ": back to the depot it left")
          .isEqualTo(List.of(first.get(lat), first.get(lon)));
      assertThat(
              rows.subList(1, rows.size() - 1).stream()
                  .map(r -> r.get(line.columns.indexOf("asset_ref")))
                  .toList())
          .as(council + " " + route + ": the stops in driving order")
          .isEqualTo(stopsByRoute.get(route));
      for (int i = 0; i < rows.size(); i++) {
        assertThat(((Number) rows.get(i).get(seq)).intValue()).isEqualTo(i);
        assertThat(rows.get(i).get(lat)).isNotNull();
      }
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    return ((Number) run(c, sql).rows.get(0).get(0)).longValue();
  }

  @Test
  void everyPromQlPanelReturnsSeriesFromAPrometheusThatScrapedKerbside() throws Exception {
    SimulatedTown town = towns.get(TestServices.Db.TIMESCALEDB);
    String target = "127.0.0.1:" + town.process.httpPort();
    TestServicesScript.run("prom-start", target);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                promQuery("kerbside_ingest_messages_total{instance=\"" + target + "\"}").size() > 0
                    && promQuery("up{job=\"kerbside\",instance=\"" + target + "\"} == 1").size()
                        > 0);
    // rate() needs two samples inside its window
    Thread.sleep(3_000);

    Instant now = Instant.now();
    TimeRange range = new TimeRange(now.minus(Duration.ofMinutes(5)), now);
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Dashboard d : GrafanaFiles.dashboards()) {
      for (Choice choice : Choice.values()) {
        GrafanaMacros macros = new GrafanaMacros(range, true);
        for (TemplateVariable v : d.variables()) {
          List<String> options;
          if (v.type().equals("query") && v.dataSourceUid().equals("kerbside-prometheus")) {
            options = labelValues(v.query());
            assertThat(options).as(d.uid() + " $" + v.name()).contains(target);
            options = List.of(target);
          } else {
            options = List.of("1");
          }
          macros.select(
              v,
              v.includeAll() && choice == Choice.ALL ? List.of(GrafanaMacros.ALL) : options,
              options);
        }
        for (PanelQuery q : d.queries()) {
          if (!q.isPromQl()) {
            continue;
          }
          String expr = macros.promQl(q.text(), q.minInterval(), SCRAPE);
          JsonNode result = promQuery(expr);
          if (result.isEmpty()) {
            failures.add(choice + " " + q.name() + ": no series for " + expr);
          }
          checked++;
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(checked).isGreaterThanOrEqualTo(20);

    JsonNode groups = promGet("/api/v1/rules").path("data").path("groups");
    List<String> rules = new ArrayList<>();
    for (JsonNode g : groups) {
      for (JsonNode r : g.path("rules")) {
        assertThat(r.path("health").asText()).as(r.path("name").asText()).isEqualTo("ok");
        rules.add(r.path("name").asText());
      }
    }
    assertThat(rules)
        .contains("KerbsideIngestDown", "KerbsideNoReadings", "KerbsideWriteLatencyHigh");
  }

  // ------------------------------------------------------------------ SQL

  private GrafanaMacros resolveSqlVariables(
      Connection c, Dashboard d, TimeRange range, boolean timescale, Choice choice, int councilId)
      throws SQLException {
    GrafanaMacros macros = new GrafanaMacros(range, timescale);
    for (TemplateVariable v : d.variables()) {
      List<String> options =
          v.type().equals("query") && !v.dataSourceUid().equals("kerbside-db")
              ? List.of("none")
              : options(c, macros, v);
      List<String> chosen;
      if (v.name().equals("council")) {
        chosen = List.of(String.valueOf(councilId));
      } else if (v.includeAll() && (choice == Choice.ALL || options.isEmpty())) {
        chosen = List.of(GrafanaMacros.ALL);
      } else {
        chosen = List.of(firstWithAssets(c, d, macros, v, options));
      }
      macros.select(v, chosen, options);
    }
    return macros;
  }

  /**
   * The first option after which the dashboard's asset list is not empty, as someone would choose a
   * ward that has assets of the dashboard's kind (a small town may have no pavement in the first
   * ward).
   */
  private static String firstWithAssets(
      Connection c, Dashboard d, GrafanaMacros macros, TemplateVariable v, List<String> options)
      throws SQLException {
    TemplateVariable asset =
        d.variables().stream().filter(x -> x.name().equals("asset")).findFirst().orElse(null);
    if (asset == null || v == asset) {
      return options.get(0);
    }
    for (String option : options) {
      macros.select(v, List.of(option), options);
      if (!options(c, macros, asset).isEmpty()) {
        return option;
      }
    }
    return options.get(0);
  }

  private static List<String> options(Connection c, GrafanaMacros macros, TemplateVariable v)
      throws SQLException {
    if (v.type().equals("custom")) {
      return v.customOptions();
    }
    String sql = macros.expandSqlMacros(macros.interpolate(v.query(), Dialect.SQL, ""));
    Result r = run(c, sql);
    int column = r.columns.indexOf("__value");
    List<String> values = new ArrayList<>();
    for (List<Object> row : r.rows) {
      values.add(String.valueOf(row.get(column < 0 ? 0 : column)));
    }
    return values;
  }

  private static boolean mustHaveRows(PanelQuery q, Choice choice, Scenario scenario) {
    String panel = q.dashboard().uid() + " / " + q.panel().path("title").asText();
    if (MAY_BE_EMPTY.contains(panel)
        || SCENARIO_MAY_BE_EMPTY.getOrDefault(scenario, Set.of()).contains(panel)) {
      return false;
    }
    if (q.text().contains("collection_route_points(") && !q.text().contains("route_no = 1\n")) {
      // A map layer for each possible route: a day with fewer routes leaves the last ones empty.
      return false;
    }
    if (q.text().contains("kerbside.alert ")) {
      // A single ward, kind, severity and rule together may well have no alert.
      return choice == Choice.ALL;
    }
    // Panels about chosen assets show nothing until assets are chosen.
    return choice == Choice.FIRST || !q.text().contains("asset_pk IN ($asset)");
  }

  /** What Grafana needs of a result to draw the panel. */
  private static List<String> shapeProblems(PanelQuery q, Result r, String where) {
    List<String> problems = new ArrayList<>();
    if (q.format().equals("time_series")) {
      int t = r.columns.indexOf("time");
      if (t != 0) {
        problems.add(where + ": time series without a first column \"time\": " + r.columns);
        return problems;
      }
      if (!r.types.get(0).equals("time") && !r.types.get(0).equals("number")) {
        problems.add(where + ": column time is " + r.types.get(0));
      }
      if (!r.types.contains("number") || r.types.lastIndexOf("number") == 0) {
        problems.add(where + ": no value column: " + r.columns + " " + r.types);
      }
      for (int i = 1; i < r.rows.size(); i++) {
        Comparable<Object> prev = comparable(r.rows.get(i - 1).get(0));
        if (prev.compareTo(r.rows.get(i).get(0)) > 0) {
          problems.add(where + ": rows not in time order");
          break;
        }
      }
    }
    String type = q.panelType();
    if (type.equals("geomap")) {
      for (String col : List.of("latitude", "longitude")) {
        if (!r.columns.contains(col)) {
          problems.add(where + ": map without column " + col);
        }
      }
    }
    if (type.equals("stat") || type.equals("bargauge")) {
      if (!r.types.stream().allMatch(x -> x.equals("number"))) {
        problems.add(where + ": stat columns must be numbers: " + r.columns + " " + r.types);
      }
    }
    return problems;
  }

  /** Overrides and data links name columns; some query of the panel must return them. */
  private static List<String> fieldProblems(JsonNode panel, Set<String> columns, String where) {
    List<String> problems = new ArrayList<>();
    String title = where + " / " + panel.path("title").asText();
    for (JsonNode o : panel.path("fieldConfig").path("overrides")) {
      if (o.path("matcher").path("id").asText().equals("byName")) {
        String name = o.path("matcher").path("options").asText();
        if (!columns.contains(name)) {
          problems.add(title + ": override names missing column " + name);
        }
      }
      Matcher m = DATA_FIELD.matcher(o.toString());
      while (m.find()) {
        if (!columns.contains(m.group(1))) {
          problems.add(title + ": data link uses missing column " + m.group(1));
        }
      }
    }
    return problems;
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> comparable(Object o) {
    return (Comparable<Object>) o;
  }

  record Result(List<String> columns, List<String> types, List<List<Object>> rows) {}

  static Result run(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(30);
      try (ResultSet rs = st.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          columns.add(md.getColumnLabel(i));
          types.add(kind(md.getColumnType(i)));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= columns.size(); i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
        return new Result(columns, types, rows);
      }
    }
  }

  private static String kind(int sqlType) {
    return switch (sqlType) {
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> "time";
      case Types.INTEGER,
              Types.BIGINT,
              Types.SMALLINT,
              Types.REAL,
              Types.DOUBLE,
              Types.FLOAT,
              Types.NUMERIC,
              Types.DECIMAL ->
          "number";
      default -> "text";
    };
  }

  // ------------------------------------------------------------------ Prometheus

  private JsonNode promQuery(String expr) throws Exception {
    JsonNode body =
        promGet("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    assertThat(body.path("status").asText()).as(expr + ": " + body).isEqualTo("success");
    return body.path("data").path("result");
  }

  private List<String> labelValues(String query) throws Exception {
    Matcher m = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)").matcher(query);
    assertThat(m.matches()).as(query).isTrue();
    JsonNode body =
        promGet(
            "/api/v1/label/"
                + m.group(2)
                + "/values?match[]="
                + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8));
    List<String> values = new ArrayList<>();
    body.path("data").forEach(v -> values.add(v.asText()));
    return values;
  }

  private JsonNode promGet(String path) throws Exception {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create(TestServicesScript.prometheusUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
    return json.readTree(r.body());
  }
}
