package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.auth.ApiKeyRepository;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRecord;
import io.kerbside.registry.AssetRegistry;
import io.kerbside.registry.ImportReport;
import io.kerbside.registry.store.AssetRepository;
import io.kerbside.sim.TownCentre;
import io.kerbside.sim.TownExport;
import io.kerbside.sim.town.Town;
import io.kerbside.sim.town.TownGenerator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The asset registry against the real PostgreSQL: import/export round trips and the REST API. */
class RegistryIT {
  private static final String SMALL_LIST =
      "asset_ref,kind,latitude,longitude,ward,street,device_id,expected_interval_s,"
          + "bin_capacity_l,lamp_type,rated_power_w,status\n"
          + "B1,bin,51.500,-0.100,North,High Street,bin-1,900,240,,,active\n"
          + "B2,bin,51.520,-0.140,South,Mill Lane,bin-2,900,1100,,,faulty\n"
          + "L1,streetlight,51.505,-0.105,North,High Street,light-1,600,,led,36,active\n";

  private TestDatabase db;
  private HikariDataSource ds;
  private CouncilRef council;
  private CouncilRef other;
  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    ds = db.migrated();
    Councils councils = new Councils(ds);
    council = councils.find("default").orElseThrow();
    other = councils.add("other-town", "Other Town");
    String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", TestServices.adminUser());
    env.put("KERBSIDE_DB_MIGRATE", "true");
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

  private ImportReport importText(CouncilRef into, AssetFormat format, String text)
      throws Exception {
    return new AssetRegistry(ds).importList(into, format, new StringReader(text));
  }

  private String export(CouncilRef from, AssetFormat format) throws Exception {
    StringWriter out = new StringWriter();
    new AssetRegistry(ds).exportList(from, format, out);
    return out.toString();
  }

  @Test
  void importsTheSimulatorsTownAndRoundTripsItThroughCsvAndGeoJson() throws Exception {
    Town town = TownGenerator.generate(60, TownCentre.DEFAULT, 11);
    StringWriter csv = new StringWriter();
    TownExport.writeCsv(town, csv);
    StringWriter geoJson = new StringWriter();
    TownExport.writeGeoJson(town, geoJson);

    ImportReport first = importText(council, AssetFormat.CSV, csv.toString());
    assertThat(first.rejected()).isEmpty();
    assertThat(first.inserted()).isEqualTo(60);
    assertThat(first.devicesAttached()).isEqualTo(60);
    AssetRepository repo = new AssetRepository(ds);
    List<AssetRecord> stored = repo.records(council);
    assertThat(stored).hasSize(60);

    ImportReport again = importText(council, AssetFormat.CSV, csv.toString());
    assertThat(again.inserted()).isZero();
    assertThat(again.updated()).isEqualTo(60);
    assertThat(again.devicesAttached()).isZero();
    assertThat(repo.records(council)).isEqualTo(stored);
    assertThat(db.count("SELECT count(*) FROM device_attachment")).isEqualTo(60);

    ImportReport fromGeoJson = importText(council, AssetFormat.GEOJSON, geoJson.toString());
    assertThat(fromGeoJson.rejected()).isEmpty();
    assertThat(fromGeoJson.inserted()).isZero();
    assertThat(repo.records(council)).isEqualTo(stored);

    for (AssetFormat format : AssetFormat.values()) {
      String exported = export(council, format);
      ImportReport reimport = importText(council, format, exported);
      assertThat(reimport.rejected()).isEmpty();
      assertThat(reimport.inserted()).isZero();
      assertThat(reimport.devicesAttached()).isZero();
      assertThat(repo.records(council)).as(format.code()).isEqualTo(stored);

      CouncilRef copy = new Councils(ds).add("copy-" + format.code(), "Copy");
      importText(copy, format, exported);
      assertThat(repo.records(copy)).as(format.code()).isEqualTo(stored);
    }
    assertThat(db.count("SELECT count(*) FROM device_attachment")).isEqualTo(180);
  }

  @Test
  void reportsBadRowsWithTheirReasonsAndStoresTheGoodOnes() throws Exception {
    importText(council, AssetFormat.CSV, SMALL_LIST);

    ImportReport report =
        importText(
            council,
            AssetFormat.CSV,
            "asset_ref,kind,latitude,longitude,device_id\n"
                + "B3,bin,51.51,-0.11,bin-3\n"
                + "B4,bin,north,-0.11,\n"
                + "B5,bin,51.51,-0.11,light-1\n"
                + "L1,bin,51.51,-0.11,\n");

    assertThat(report.inserted()).isEqualTo(1);
    assertThat(report.rejected())
        .extracting(
            ImportReport.Rejection::position,
            ImportReport.Rejection::assetRef,
            ImportReport.Rejection::reason)
        .containsExactly(
            tuple("line 3", "B4", "latitude must be a number, got 'north'"),
            tuple("line 4", "B5", "device light-1 is a streetlight, the asset a bin"),
            tuple(
                "line 5",
                "L1",
                "asset_ref is already an asset of another kind; an import cannot change it"));
    assertThat(
            db.count("SELECT count(*) FROM asset WHERE asset_ref = 'L1' AND kind = 'streetlight'"))
        .isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM asset WHERE council_id = 1")).isEqualTo(4);
    assertThat(db.count("SELECT count(*) FROM asset WHERE asset_ref = 'B5'")).isZero();
  }

  @Test
  void theReaderRoleCanReadTheRegistry() throws Exception {
    importText(council, AssetFormat.CSV, SMALL_LIST);
    String login = "kerbside_registry_reader_it";
    db.createLogin(login, "reader-pw", "kerbside_reader");
    try (Connection c = DriverManager.getConnection(db.url(), login, "reader-pw");
        Statement st = c.createStatement()) {
      st.execute("SET search_path = kerbside");
      for (String table : List.of("asset", "device_attachment", "api_key")) {
        st.executeQuery("SELECT count(*) FROM " + table).close();
      }
    }
  }

  private HttpResponse<String> get(int port, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject json(int port, String path, String key) throws Exception {
    HttpResponse<String> r = get(port, path, key);
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static List<String> refs(JsonObject page) {
    return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("ref")).toList();
  }

  @Test
  void theRestApiAnswersFromTheDatabaseForTheCallersCouncilOnly() throws Exception {
    importText(council, AssetFormat.CSV, SMALL_LIST);
    importText(other, AssetFormat.CSV, "asset_ref,kind,latitude,longitude\nX1,bin,51.5,-0.1\n");
    String key = new ApiKeyRepository(ds).create(council, "it").reveal();
    String otherKey = new ApiKeyRepository(ds).create(other, "it").reveal();
    long b1 = db.count("SELECT asset_pk FROM asset WHERE council_id = 1 AND asset_ref = 'B1'");
    Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(5, ChronoUnit.HOURS);
    try (Connection c = db.connect()) {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT ensure_reading_partitions(current_date - 2, current_date + 1)");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct)"
                  + " SELECT 1, device_pk, ?, now(), ? FROM device WHERE device_id = 'bin-1'")) {
        Object[][] rows = {{10, 10.0}, {20, 20.0}, {70, 40.0}};
        for (Object[] row : rows) {
          ps.setTimestamp(1, Timestamp.from(base.plus((Integer) row[0], ChronoUnit.MINUTES)));
          ps.setDouble(2, (Double) row[1]);
          ps.executeUpdate();
        }
      }
    }
    env.put("KERBSIDE_HTTP_TOKEN", "ops-t0ken");

    try (KerbsideProcess p = KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST))) {
      int port = p.httpPort();
      assertThat(get(port, "/api/v1/assets", null).statusCode()).isEqualTo(401);
      assertThat(get(port, "/api/v1/assets", "kbs_wrong").statusCode()).isEqualTo(401);
      assertThat(get(port, "/api/v1/assets", "ops-t0ken").statusCode()).isEqualTo(401);
      assertThat(get(port, "/metrics", key).statusCode()).isEqualTo(401);
      assertThat(get(port, "/api/../metrics", null).statusCode()).isEqualTo(401);
      assertThat(get(port, "/api/%2e%2e/metrics", null).statusCode()).isEqualTo(401);
      HttpResponse<String> openApi = get(port, "/openapi.yaml", null);
      assertThat(openApi.statusCode()).isEqualTo(200);
      assertThat(openApi.body()).startsWith("openapi: 3").contains("/api/v1/assets/{id}/readings");

      JsonObject all = json(port, "/api/v1/assets", key);
      assertThat(refs(all)).containsExactly("B1", "B2", "L1");
      assertThat(all.getLong("total")).isEqualTo(3);
      assertThat(refs(json(port, "/api/v1/assets?kind=bin", key))).containsExactly("B1", "B2");
      assertThat(refs(json(port, "/api/v1/assets?ward=North", key))).containsExactly("B1", "L1");
      assertThat(refs(json(port, "/api/v1/assets?status=faulty", key))).containsExactly("B2");
      assertThat(refs(json(port, "/api/v1/assets?bbox=-0.11,51.49,-0.10,51.51", key)))
          .containsExactly("B1", "L1");
      JsonObject page = json(port, "/api/v1/assets?limit=2&offset=1", key);
      assertThat(refs(page)).containsExactly("B2", "L1");
      assertThat(json(port, "/api/v1/assets?limit=1", key).getInteger("next_offset")).isEqualTo(1);
      assertThat(get(port, "/api/v1/assets?kind=lamp", key).statusCode()).isEqualTo(400);
      assertThat(get(port, "/api/v1/assets?bbox=1,2,3", key).statusCode()).isEqualTo(400);

      JsonObject devices = json(port, "/api/v1/devices?kind=bin&ward=North", key);
      assertThat(devices.getJsonArray("items")).hasSize(1);
      assertThat(devices.getJsonArray("items").getJsonObject(0).getString("device_id"))
          .isEqualTo("bin-1");

      JsonObject one = json(port, "/api/v1/assets/" + b1, key);
      assertThat(one.getString("ref")).isEqualTo("B1");
      assertThat(one.getJsonObject("attributes").getInteger("bin_capacity_l")).isEqualTo(240);
      JsonObject device = one.getJsonArray("devices").getJsonObject(0);
      assertThat(device.getString("device_id")).isEqualTo("bin-1");
      assertThat(device.getJsonObject("latest_reading").getString("at"))
          .isEqualTo(base.plus(70, ChronoUnit.MINUTES).toString());
      assertThat(
              device.getJsonObject("latest_reading").getJsonObject("values").getDouble("fill_pct"))
          .isEqualTo(40.0);

      String range = "from=" + base + "&to=" + base.plus(3, ChronoUnit.HOURS);
      JsonArray raw =
          json(port, "/api/v1/assets/" + b1 + "/readings?" + range, key).getJsonArray("items");
      assertThat(raw).hasSize(3);
      JsonArray hourly =
          json(port, "/api/v1/assets/" + b1 + "/readings?bucket=1h&" + range, key)
              .getJsonArray("items");
      assertThat(hourly).hasSize(2);
      assertThat(hourly.getJsonObject(0).getString("at")).isEqualTo(base.toString());
      assertThat(hourly.getJsonObject(0).getLong("count")).isEqualTo(2);
      assertThat(hourly.getJsonObject(0).getJsonObject("values").getDouble("fill_pct"))
          .isEqualTo(15.0);
      assertThat(hourly.getJsonObject(1).getJsonObject("values").getDouble("fill_pct"))
          .isEqualTo(40.0);
      JsonArray daily =
          json(port, "/api/v1/assets/" + b1 + "/readings?bucket=1d&" + range, key)
              .getJsonArray("items");
      assertThat(daily.stream().mapToLong(o -> ((JsonObject) o).getLong("count")).sum())
          .isEqualTo(3);
      assertThat(get(port, "/api/v1/assets/" + b1 + "/readings?bucket=1w", key).statusCode())
          .isEqualTo(400);

      JsonObject seenByOther = json(port, "/api/v1/assets", otherKey);
      assertThat(refs(seenByOther)).containsExactly("X1");
      assertThat(json(port, "/api/v1/devices", otherKey).getLong("total")).isZero();
      assertThat(get(port, "/api/v1/assets/" + b1, otherKey).statusCode()).isEqualTo(404);
      assertThat(get(port, "/api/v1/assets/" + b1 + "/readings", otherKey).statusCode())
          .isEqualTo(404);

      // Moving bin-1 to B2 keeps its earlier readings with B1.
      ImportReport move =
          importText(
              council,
              AssetFormat.CSV,
              "asset_ref,kind,latitude,longitude,ward,device_id\nB2,bin,51.52,-0.14,South,bin-1\n");
      assertThat(move.devicesAttached()).isEqualTo(1);
      assertThat(
              json(port, "/api/v1/assets/" + b1 + "/readings?" + range, key).getJsonArray("items"))
          .hasSize(3);
      long b2 = db.count("SELECT asset_pk FROM asset WHERE council_id = 1 AND asset_ref = 'B2'");
      assertThat(
              json(port, "/api/v1/assets/" + b2 + "/readings?" + range, key).getJsonArray("items"))
          .isEmpty();
      assertThat(json(port, "/api/v1/assets/" + b1, key).getJsonArray("devices")).isEmpty();
      assertThat(
              db.count(
                  "SELECT count(*) FROM device_attachment a JOIN device d USING (device_pk)"
                      + " WHERE d.device_id = 'bin-1'"))
          .isEqualTo(2);
    }
  }
}
