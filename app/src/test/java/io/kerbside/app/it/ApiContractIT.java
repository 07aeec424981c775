package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.ApiRouter;
import io.kerbside.api.Operation;
import io.kerbside.api.auth.ApiKeyRepository;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.api.auth.CrewLinks;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API against its description: every operation of {@code openapi.yaml} is served with the
 * role it names, answers the authorisation matrix (no key, bad, revoked, viewer, operator, admin;
 * own council, other council) as that role says, and answers a table of nasty values in every
 * parameter and body field with a 4xx and a message, never a 5xx. A new operation without its
 * description fails here.
 */
class ApiContractIT {
  private static final String OWN_MARK = "OWN";
  private static final String CREW_SECRET = "contract-test-crew-link-secret-0123456789";

  /** Values that must never cause a 5xx, whatever the parameter. */
  private static final List<String> NASTY =
      List.of(
          "a\u0000b",
          "-5000-01-01T00:00:00Z",
          "+999999999-12-31T23:59:59Z",
          "x".repeat(1_000),
          "x".repeat(10_000),
          "'; DROP TABLE alert; --",
          "%",
          "\u202e\u0007",
          "\uD83D\uDE00",
          "-1",
          "0",
          "99999999999999999999",
          "1e309",
          "NaN",
          " ",
          "1,2,3,4,5",
          "-180,-90,180,90");

  /**
   * Values that must be refused with 400 in any text or instant parameter or body field (a longer
   * query string is refused by the HTTP server itself, with 414 or 431).
   */
  private static final List<String> ALWAYS_REFUSED = List.of("a\u0000b", "x".repeat(1_000));

  private static final java.util.concurrent.atomic.AtomicInteger ALERTS =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestDatabase db;
  private static HikariDataSource ds;
  private static KerbsideProcess process;
  private static int port;
  private static final Map<String, String> keys = new LinkedHashMap<>();
  private static long ownAsset;
  private static long otherAsset;
  private static long ownDevicePk;
  private static long otherAlert;
  private static long otherPlan;
  private static JsonNode openApi;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    ds = db.migrated();
    Councils councils = new Councils(ds);
    CouncilRef own = councils.find("default").orElseThrow();
    CouncilRef other = councils.add("other-town", "Other Town");
    ApiKeyRepository repo = new ApiKeyRepository(ds);
    keys.put("viewer", repo.create(own, "viewer", ApiRole.VIEWER).reveal());
    keys.put("operator", repo.create(own, "operator", ApiRole.OPERATOR).reveal());
    keys.put("admin", repo.create(own, "admin", ApiRole.ADMIN).reveal());
    String revoked = repo.create(own, "revoked", ApiRole.ADMIN).reveal();
    long revokedId =
        repo.list(own).stream()
            .filter(k -> "revoked".equals(k.label()))
            .findFirst()
            .orElseThrow()
            .id();
    repo.revoke(own, revokedId);
    keys.put("revoked", revoked);
    keys.put("other-admin", repo.create(other, "theirs", ApiRole.ADMIN).reveal());

    ownAsset = asset(own.id(), OWN_MARK + "/BIN/1", "own-bin-1");
    otherAsset = asset(other.id(), "THEIRS/BIN/1", "theirs-bin-1");
    ownDevicePk = devicePk("own-bin-1");
    otherAlert = alert(other.id(), otherAsset, devicePk("theirs-bin-1"));
    otherPlan = plan(other.id(), otherAsset);

    Map<String, String> env = new LinkedHashMap<>();
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", TestServices.adminUser());
    env.put("KERBSIDE_HTTP_PORT", "0");
    env.put("KERBSIDE_CREW_LINK_SECRET", CREW_SECRET);
    process = KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class));
    port = process.httpPort();
    openApi = new ObjectMapper(new YAMLFactory()).readTree(ApiRouter.openApi());
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close();
    }
    if (ds != null) {
      ds.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void everyOperationServedIsDescribedWithTheRoleItChecks() {
    Map<String, String> described = new LinkedHashMap<>();
    for (Described op : described()) {
      described.put(op.key(), op.role);
    }
    Map<String, String> served = new LinkedHashMap<>();
    for (Operation op : process.apiOperations()) {
      served.put(op.key(), op.role().code());
    }
    assertThat(served).as("operations the router serves, with their roles").isNotEmpty();
    assertThat(served).isEqualTo(described);
  }

  @Test
  void everyOperationAnswersTheAuthorisationMatrix() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    for (Described op : described()) {
      ApiRole needed = ApiRole.fromCode(op.role).orElseThrow();
      // no key, a key that is not one, a revoked key: 401, whatever the council
      for (String bad : new String[] {null, "kbs_not-a-key-at-all", keys.get("revoked")}) {
        HttpResponse<String> r = call(op, bad, ownTarget(op), Map.of());
        softly.assertThat(r.statusCode()).as(op.key() + " with key " + label(bad)).isEqualTo(401);
      }
      for (ApiRole role : ApiRole.values()) {
        String key = keys.get(role.code());
        HttpResponse<String> own = call(op, key, ownTarget(op), sampleBody(op));
        if (!role.allows(needed)) {
          softly.assertThat(own.statusCode()).as(op.key() + " as " + role.code()).isEqualTo(403);
          continue;
        }
        softly
            .assertThat(own.statusCode())
            .as(op.key() + " as " + role.code() + " on its own council: " + own.body())
            .isEqualTo(200);
        if (op.path.contains("{id}")) {
          HttpResponse<String> theirs = call(op, key, otherTarget(op), sampleBody(op));
          softly
              .assertThat(theirs.statusCode())
              .as(op.key() + " as " + role.code() + " on another council's id")
              .isEqualTo(404);
        }
      }
      if (!op.path.contains("{id}") && op.method.equals("GET")) {
        HttpResponse<String> theirs = call(op, keys.get("other-admin"), Map.of(), Map.of());
        softly
            .assertThat(theirs.statusCode())
            .as(op.key() + " for the other council")
            .isEqualTo(200);
        softly
            .assertThat(theirs.body())
            .as(op.key() + " for the other council shows none of this council's")
            .doesNotContain(OWN_MARK, "own-bin-1");
      }
    }
    softly.assertAll();
  }

  @Test
  void aCrewLinkActsAsAnOperatorOfItsCouncilUntilItExpiresAndNotAfterTampering() throws Exception {
    CrewLinks links = new CrewLinks(Secret.of(CREW_SECRET), Clock.systemUTC());
    CouncilRef own = new CouncilRef(1, "default");
    String valid = links.sign(own, "North crew", Instant.now().plusSeconds(3600));
    String expired = links.sign(own, "North crew", Instant.now().minusSeconds(1));
    String tampered = valid.substring(0, valid.length() - 2) + (valid.endsWith("A") ? "BB" : "AA");
    String foreign =
        new CrewLinks(Secret.of(CREW_SECRET + "-other"), Clock.systemUTC())
            .sign(own, "North crew", Instant.now().plusSeconds(3600));
    SoftAssertions softly = new SoftAssertions();
    for (Described op : described()) {
      ApiRole needed = ApiRole.fromCode(op.role).orElseThrow();
      for (String bad : new String[] {expired, tampered, foreign, "not-a-token"}) {
        HttpResponse<String> r = callAs(op, "Crew " + bad, ownTarget(op), sampleBody(op));
        softly.assertThat(r.statusCode()).as(op.key() + " with a bad crew link").isEqualTo(401);
      }
      HttpResponse<String> own1 = callAs(op, "Crew " + valid, ownTarget(op), sampleBody(op));
      softly
          .assertThat(own1.statusCode())
          .as(op.key() + " with a crew link: " + own1.body())
          .isEqualTo(ApiRole.OPERATOR.allows(needed) ? 200 : 403);
      if (op.path.contains("{id}") && ApiRole.OPERATOR.allows(needed)) {
        HttpResponse<String> theirs = callAs(op, "Crew " + valid, otherTarget(op), sampleBody(op));
        softly
            .assertThat(theirs.statusCode())
            .as(op.key() + " with a crew link on another council's id")
            .isEqualTo(404);
      }
    }
    softly.assertAll();
    long alert = alert(1, ownAsset, ownDevicePk);
    Described resolve =
        described().stream()
            .filter(d -> d.key().equals("POST /api/v1/alerts/{id}/resolve"))
            .findFirst()
            .orElseThrow();
    assertThat(
            callAs(
                    resolve,
                    "Crew " + valid,
                    Map.of("id", Long.toString(alert)),
                    Map.of("note", "done"))
                .statusCode())
        .isEqualTo(200);
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT resolved_by FROM alert WHERE alert_id = ?")) {
      ps.setLong(1, alert);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("crew:North crew");
      }
    }
  }

  @Test
  void nastyValuesInEveryParameterAndFieldAreRefusedWithAMessageNeverA5xx() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    int requests = 0;
    for (Described op : described()) {
      for (Param param : op.params) {
        for (String value : NASTY) {
          Map<String, String> target = new LinkedHashMap<>(ownTarget(op));
          target.put(param.name, value);
          HttpResponse<String> r = call(op, keys.get("admin"), target, sampleBody(op));
          requests++;
          String what = op.key() + " " + param.name + "=" + shown(value);
          softly.assertThat(r.statusCode()).as(what + " -> " + r.body()).isLessThan(500);
          if (r.statusCode() == 400 && !r.body().isEmpty()) {
            softly.assertThat(new JsonObject(r.body()).getString("error")).as(what).isNotBlank();
          }
          boolean textual = param.type.equals("string") || param.type.equals("date-time");
          if (textual && param.in.equals("query") && ALWAYS_REFUSED.contains(value)) {
            softly.assertThat(r.statusCode()).as(what).isEqualTo(400);
          }
          if (param.type.equals("date-time") && value.startsWith("-5000")
              || param.type.equals("date-time") && value.startsWith("+999999999")) {
            softly.assertThat(r.statusCode()).as(what).isEqualTo(400);
          }
        }
      }
      for (String field : op.bodyFields) {
        List<Object> values = new ArrayList<>(NASTY);
        values.add(42);
        values.add(List.of("a"));
        for (Object value : values) {
          Map<String, Object> body = new LinkedHashMap<>(sampleBody(op));
          body.put(field, value);
          HttpResponse<String> r = call(op, keys.get("admin"), ownTarget(op), body);
          requests++;
          String what = op.key() + " body " + field + "=" + shown(String.valueOf(value));
          softly.assertThat(r.statusCode()).as(what + " -> " + r.body()).isLessThan(500);
          if (String.valueOf(value).contains("\u0000")
              || String.valueOf(value).length() > op.maxLengths.get(field)
              || !(value instanceof String)) {
            softly.assertThat(r.statusCode()).as(what).isEqualTo(400);
            softly.assertThat(new JsonObject(r.body()).getString("error")).as(what).isNotBlank();
          }
        }
      }
    }
    softly.assertThat(requests).as("requests sent").isGreaterThan(300);
    softly.assertAll();
  }

  // --- the description -------------------------------------------------------------------------

  private record Param(String name, String in, String type) {}

  private record Described(
      String method,
      String path,
      String role,
      List<Param> params,
      List<String> bodyFields,
      Map<String, Integer> maxLengths) {
    String key() {
      return method + " " + path;
    }
  }

  private static List<Described> described() {
    List<Described> ops = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> m = methods.next();
        JsonNode op = m.getValue();
        assertThat(op.has("x-kerbside-role"))
            .as(m.getKey() + " " + path.getKey() + " names its role (x-kerbside-role)")
            .isTrue();
        List<Param> params = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) {
          JsonNode resolved = resolve(p);
          JsonNode schema = resolved.path("schema");
          String type =
              schema.path("format").asText("").equals("date-time")
                  ? "date-time"
                  : schema.path("type").asText("string");
          params.add(new Param(resolved.get("name").asText(), resolved.get("in").asText(), type));
        }
        List<String> fields = new ArrayList<>();
        Map<String, Integer> maxLengths = new LinkedHashMap<>();
        JsonNode schema =
            resolve(op.path("requestBody").path("content").path("application/json").path("schema"));
        schema
            .path("properties")
            .fields()
            .forEachRemaining(
                f -> {
                  fields.add(f.getKey());
                  maxLengths.put(f.getKey(), f.getValue().path("maxLength").asInt(200));
                });
        ops.add(
            new Described(
                m.getKey().toUpperCase(Locale.ROOT),
                path.getKey(),
                op.get("x-kerbside-role").asText(),
                params,
                fields,
                maxLengths));
      }
    }
    return ops;
  }

  private static JsonNode resolve(JsonNode node) {
    if (node.has("$ref")) {
      String[] parts = node.get("$ref").asText().substring(2).split("/");
      JsonNode n = openApi;
      for (String part : parts) {
        n = n.path(part);
      }
      return n;
    }
    return node;
  }

  // --- requests --------------------------------------------------------------------------------

  /** Path and query values that address this council's resources (a fresh open alert). */
  private static Map<String, String> ownTarget(Described op) throws Exception {
    if (!op.path.contains("{id}")) {
      return Map.of();
    }
    if (op.path.startsWith("/api/v1/plans")) {
      return Map.of("id", Long.toString(plan(1, ownAsset)), "stop", "1");
    }
    long id = op.path.startsWith("/api/v1/alerts") ? alert(1, ownAsset, ownDevicePk) : ownAsset;
    return Map.of("id", Long.toString(id));
  }

  private static Map<String, String> otherTarget(Described op) throws Exception {
    if (op.path.startsWith("/api/v1/plans")) {
      return Map.of("id", Long.toString(otherPlan), "stop", "1");
    }
    return Map.of(
        "id", Long.toString(op.path.startsWith("/api/v1/alerts") ? otherAlert : otherAsset));
  }

  private static Map<String, Object> sampleBody(Described op) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (String field : op.bodyFields) {
      body.put(field, field.equals("assignee") ? "Crew A" : "checked on site");
    }
    return body;
  }

  private static HttpResponse<String> call(
      Described op, String key, Map<String, String> values, Map<String, Object> body)
      throws Exception {
    return callAs(op, key == null ? null : "Bearer " + key, values, body);
  }

  private static HttpResponse<String> callAs(
      Described op, String authorization, Map<String, String> values, Map<String, Object> body)
      throws Exception {
    String path = op.path;
    StringBuilder query = new StringBuilder();
    Set<String> inPath = new TreeSet<>();
    for (Param p : op.params) {
      if (p.in.equals("path")) {
        inPath.add(p.name);
      }
    }
    for (Map.Entry<String, String> v : values.entrySet()) {
      String encoded = URLEncoder.encode(v.getValue(), StandardCharsets.UTF_8).replace("+", "%20");
      if (inPath.contains(v.getKey())) {
        path = path.replace("{" + v.getKey() + "}", encoded);
      } else {
        query
            .append(query.length() == 0 ? "?" : "&")
            .append(v.getKey())
            .append('=')
            .append(encoded);
      }
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path + query));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (op.method.equals("POST")) {
      b.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject(body).encode()));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String label(String key) {
    if (key == null) {
      return "none";
    }
    return keys.entrySet().stream()
        .filter(e -> e.getValue().equals(key))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse("bad");
  }

  private static String shown(String value) {
    String s = value.length() > 30 ? value.substring(0, 30) + "...(" + value.length() + ")" : value;
    return s.replace("\u0000", "\\0");
  }

  // --- data ------------------------------------------------------------------------------------

  private static long asset(int council, String ref, String deviceId) throws Exception {
    try (Connection c = ds.getConnection()) {
      long pk;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, ward,"
                  + " bin_depth_mm) VALUES (?, ?, 'bin', 52.2, 0.12, ?, 1000) RETURNING asset_pk")) {
        ps.setInt(1, council);
        ps.setString(2, ref);
        ps.setString(3, ref.startsWith(OWN_MARK) ? OWN_MARK + " ward" : "Their ward");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          pk = rs.getLong(1);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at)"
                  + " VALUES (?, ?, 'bin', ?, now())")) {
        ps.setInt(1, council);
        ps.setString(2, deviceId);
        ps.setLong(3, pk);
        ps.executeUpdate();
      }
      return pk;
    }
  }

  private static long devicePk(String deviceId) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT device_pk FROM device WHERE device_id = ?")) {
      ps.setString(1, deviceId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A fresh stored collection plan of the council for today, with its asset as stop 1. */
  private static long plan(int council, long assetPk) throws Exception {
    try (Connection c = ds.getConnection()) {
      long id;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO collection_plan (council_id, plan_date, round, planned_by)"
                  + " VALUES (?, current_date, 'daily', 'test') RETURNING plan_id")) {
        ps.setInt(1, council);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO collection_stop (plan_id, stop_no, council_id, asset_pk, vehicle,"
                  + " route_order, eta, litres, predicted_fill_pct, reasons)"
                  + " VALUES (?, 1, ?, ?, 'van-a', 1, now(), 100, 90, ARRAY['alert'])")) {
        ps.setLong(1, id);
        ps.setInt(2, council);
        ps.setLong(3, assetPk);
        ps.executeUpdate();
      }
      return id;
    }
  }

  /** A fresh open bin-full alert of the council's asset. */
  private static long alert(int council, long assetPk, long devicePk) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO alert (council_id, subject, rule, kind, severity, status, asset_pk,"
                    + " device_pk, summary, observed_at, last_observed_at)"
                    + " VALUES (?, ?, 'bin-full', 'bin', 'major', 'open', ?, ?, ?, now(), now())"
                    + " RETURNING alert_id")) {
      ps.setInt(1, council);
      // one active alert per subject and rule: each fresh alert gets its own subject
      ps.setString(2, "device/" + (1_000_000 + ALERTS.incrementAndGet()));
      ps.setLong(3, assetPk);
      ps.setLong(4, devicePk);
      ps.setString(5, council == 1 ? OWN_MARK + " bin full" : "their bin full");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
