package io.kerbside.analytics.notify.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.analytics.notify.DeliveryConfig;
import io.kerbside.analytics.notify.DeliveryVerticle;
import io.kerbside.analytics.notify.RoutesConfig;
import io.kerbside.core.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two analytics instances, each with its own Vert.x as two processes would have, draining one
 * delivery queue: every delivery is sent exactly once.
 */
class TwoWorkersIT {
  private static final String SECRET = "two-workers-secret";

  @Test
  void twoWorkersOnOneDatabaseDeliverEachDeliveryExactlyOnce() throws Exception {
    int total = 120;
    try (DeliveryFixtures fx = DeliveryFixtures.create();
        WebhookServer server = new WebhookServer(SECRET, () -> 200)) {
      for (int i = 0; i < total; i++) {
        fx.queued("stuck-sensor", "crew");
      }
      RoutesConfig routes =
          RoutesConfig.parse(
              "channels:\n"
                  + "  - name: crew\n"
                  + "    type: webhook\n"
                  + "    url: "
                  + server.url()
                  + "\n"
                  + "    secret_env: KERBSIDE_WEBHOOK_CREW_SECRET\n"
                  + "    timeout_ms: 2000\n",
              "routes.yaml",
              Settings.from(Map.of("KERBSIDE_WEBHOOK_CREW_SECRET", SECRET)));
      DeliveryConfig config = new DeliveryConfig(2, 3, 10, 50, 200, 5, 30, 60);
      SimpleMeterRegistry metersA = new SimpleMeterRegistry();
      SimpleMeterRegistry metersB = new SimpleMeterRegistry();
      Vertx a = Vertx.vertx();
      Vertx b = Vertx.vertx();
      try {
        a.deployVerticle(
                new DeliveryVerticle(fx.ds, config, routes, (id, actor, note) -> false, metersA))
            .await();
        b.deployVerticle(
                new DeliveryVerticle(fx.ds, config, routes, (id, actor, note) -> false, metersB))
            .await();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    fx.db.count("SELECT count(*) FROM delivery WHERE status = 'delivered'")
                        == total);

        Map<String, Long> perEvent =
            server.received.stream()
                .collect(
                    Collectors.groupingBy(WebhookServer.Received::eventId, Collectors.counting()));
        assertThat(server.received).hasSize(total);
        assertThat(perEvent).hasSize(total);
        assertThat(perEvent.values()).allMatch(n -> n == 1);
        assertThat(fx.db.count("SELECT count(*) FROM delivery_attempt")).isEqualTo(total);
        assertThat(fx.db.count("SELECT max(attempts) FROM delivery")).isEqualTo(1);

        Function<SimpleMeterRegistry, Double> delivered =
            m ->
                m.get("kerbside.analytics.deliveries")
                    .tag("channel.type", "webhook")
                    .tag("outcome", "delivered")
                    .counter()
                    .count();
        assertThat(delivered.apply(metersA) + delivered.apply(metersB)).isEqualTo(total);
        assertThat(delivered.apply(metersA)).isPositive();
        assertThat(delivered.apply(metersB)).isPositive();
      } finally {
        a.close().await();
        b.close().await();
      }
    }
  }
}
