package io.kerbside.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A part that fails while the process runs: {@code /ready} answers 503 naming it within seconds,
 * and {@link KerbsideProcess#awaitStop()} returns true, on which the command exits with status 70
 * for a supervisor to restart it. The failure here is an event loop blocked for three seconds,
 * which the tests' strict mode ({@value KerbsideProcess#STRICT_EVENT_LOOPS}) counts as one.
 */
class FailFastIT {
  @Test
  void aFailedPartMakesReadyNameItAndEndsTheRun() throws Exception {
    assertThat(Boolean.getBoolean(KerbsideProcess.STRICT_EVENT_LOOPS))
        .as("the build runs tests with " + KerbsideProcess.STRICT_EVENT_LOOPS + "=true")
        .isTrue();
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      KerbsideProcess p =
          KerbsideProcess.start(
              Settings.from(
                  Map.of(
                      "KERBSIDE_DB_URL", db.url(),
                      "KERBSIDE_DB_USER", TestServices.adminUser(),
                      "KERBSIDE_HTTP_PORT", "0")),
              EnumSet.noneOf(Role.class));
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/ready")).build();
      assertThat(http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      CompletableFuture<Boolean> stop =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return p.awaitStop();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return false;
                }
              });

      AtomicBoolean blocked = new AtomicBoolean();
      p.every(
          Duration.ofMillis(200),
          () -> {
            if (blocked.compareAndSet(false, true)) {
              try {
                Thread.sleep(3_000); // an event loop must never wait like this
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });

      assertThat(stop.get(15, TimeUnit.SECONDS)).as("awaitStop reports a failure").isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(new JsonObject(r.body()).getJsonObject("checks").getString("event-loop"))
                    .isEqualTo("DOWN");
              });
      assertThatThrownBy(p::close)
          .as("strict mode: closing a process whose event loop was blocked fails the test")
          .hasMessageContaining("blocked");
    }
  }
}
