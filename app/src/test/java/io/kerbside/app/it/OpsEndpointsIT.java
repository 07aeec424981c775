package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.Settings;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /health, /ready and /metrics of a running process, with and without a token. */
class OpsEndpointsIT {
  private TestDatabase db;
  private final Map<String, String> env = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
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
    db.close();
  }

  private HttpResponse<String> get(int port, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthReadinessAndPrometheusMetrics() throws Exception {
    try (KerbsideProcess p = KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST))) {
      assertThat(get(p.httpPort(), "/health", null).statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(p.httpPort(), "/ready", null);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"ingest.mqtt\":\"UP\"", "\"ingest.database\":\"UP\"");
      String metrics = get(p.httpPort(), "/metrics", null).body();
      assertThat(metrics)
          .contains("kerbside_ingest_messages_total{format=\"native\"}")
          .contains("kerbside_ingest_rejections_total{reason=\"malformed_json\"}")
          .contains("kerbside_ingest_batch_write_seconds_bucket")
          .contains("kerbside_ingest_inflight ")
          .contains("hikaricp_connections_active")
          .contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void requiresTheTokenForEverythingButHealthWhenOneIsSet() throws Exception {
    env.put("KERBSIDE_HTTP_TOKEN", "t0ken-for-it");
    try (KerbsideProcess p = KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST))) {
      assertThat(get(p.httpPort(), "/health", null).statusCode()).isEqualTo(200);
      assertThat(get(p.httpPort(), "/metrics", null).statusCode()).isEqualTo(401);
      assertThat(get(p.httpPort(), "/ready", "wrong").statusCode()).isEqualTo(401);
      assertThat(get(p.httpPort(), "/metrics", "t0ken-for-it").statusCode()).isEqualTo(200);
    }
  }
}
