package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.auth.ApiKeyRepository;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The REST API's requests appear on {@code /metrics} by route template, method and status. */
class ApiMetricsIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String series(String route, String status) {
    return "kerbside_api_requests_seconds_count{method=\"GET\",route=\""
        + route
        + "\",status=\""
        + status
        + "\"}";
  }

  @Test
  void countsAndTimesRequestsByRouteTemplateMethodAndStatusClass() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      String key =
          new ApiKeyRepository(ds)
              .create(new Councils(ds).find("default").orElseThrow(), "it")
              .reveal();
      String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_MQTT_URL", TestServices.mqttUrl());
      env.put("KERBSIDE_MQTT_CLIENT_ID", prefix);
      env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/kerbside/+/+=native@default");
      env.put("KERBSIDE_HTTP_PORT", "0");
      try (KerbsideProcess p = KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST))) {
        int port = p.httpPort();
        assertThat(get(port, "/api/v1/assets", key).statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/v1/assets?limit=0", key).statusCode()).isEqualTo(400);
        assertThat(get(port, "/api/v1/assets/4711", key).statusCode()).isEqualTo(404);
        assertThat(get(port, "/api/v1/assets/4712", key).statusCode()).isEqualTo(404);
        assertThat(get(port, "/api/v1/assets/4711/readings", null).statusCode()).isEqualTo(401);
        assertThat(get(port, "/api/v1/nothing/here", key).statusCode()).isEqualTo(404);
        assertThat(get(port, "/openapi.yaml", null).statusCode()).isEqualTo(200);

        String metrics = get(port, "/metrics", null).body();
        assertThat(metrics)
            .contains(series("/api/v1/assets", "2xx") + " 1")
            .contains(series("/api/v1/assets", "4xx") + " 1")
            .contains(series("/api/v1/assets/{id}", "4xx") + " 2")
            .contains(series("/api/v1/assets/{id}/readings", "4xx") + " 1")
            .contains(series("unmatched", "4xx") + " 1")
            .contains(series("/openapi.yaml", "2xx") + " 1")
            .contains(
                "kerbside_api_requests_seconds_bucket{method=\"GET\",route=\"/api/v1/assets\"")
            .contains("# HELP kerbside_api_requests_seconds REST API requests")
            .doesNotContain("4711")
            .doesNotContain("/api/v1/nothing");
      }
    }
  }
}
