package io.kerbside.analytics.notify.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.analytics.notify.Channel;
import io.kerbside.analytics.notify.DeliveryConfig;
import io.kerbside.analytics.notify.DeliveryMetrics;
import io.kerbside.analytics.notify.DeliveryVerticle;
import io.kerbside.analytics.notify.DeliveryWorker;
import io.kerbside.analytics.notify.Notices;
import io.kerbside.analytics.notify.RoutesConfig;
import io.kerbside.analytics.notify.channel.Channels;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Webhook delivery through the outbox to a real HTTP server on a loopback port. */
@ExtendWith(VertxExtension.class)
class WebhookDeliveryIT {
  private static final String SECRET = "crew-webhook-secret-5f2a";

  private DeliveryFixtures fx;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() throws Exception {
    fx = DeliveryFixtures.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  /** The channel as configured from a routes file, with its secret from the environment. */
  private Channel channel(WebhookServer server) {
    return Channels.create(routes(server).channel("crew").orElseThrow(), Clock.systemUTC());
  }

  /** A routes file that declares the channel {@code crew} and routes nothing to it. */
  private static RoutesConfig routes(WebhookServer server) {
    return RoutesConfig.parse(
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
  }

  /** Deploys delivery as the analytics role does, with the given retry limit; its deployment id. */
  private String deliver(Vertx vertx, WebhookServer server, int maxAttempts) {
    return vertx
        .deployVerticle(
            new DeliveryVerticle(
                fx.ds,
                DeliveryFixtures.fastRetries(maxAttempts),
                routes(server),
                (id, actor, note) -> false,
                meters))
        .await();
  }

  private double count(String outcome) {
    return meters
        .get("kerbside.analytics.deliveries")
        .tag("channel.type", "webhook")
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  @Test
  void retriesServerErrorsThenDeliversSignedJson(Vertx vertx) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (WebhookServer server =
        new WebhookServer(SECRET, () -> calls.incrementAndGet() <= 2 ? 500 : 204)) {
      long delivery = fx.queued("bin-full", "crew");
      String id = deliver(vertx, server, 5);
      await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(fx.status(delivery)));

      assertThat(fx.attempts(delivery))
          .containsExactly("failed/500", "failed/500", "delivered/204");
      assertThat(server.received).hasSize(3).allMatch(WebhookServer.Received::signatureValid);
      long now = Instant.now().getEpochSecond();
      assertThat(server.received).allMatch(r -> Math.abs(now - r.timestamp()) < 60);

      JsonNode json = new ObjectMapper().readTree(server.received.get(2).body());
      assertThat(json.get("version").asInt()).isEqualTo(1);
      assertThat(json.get("event").asText()).isEqualTo("opened");
      assertThat(json.get("rule").asText()).isEqualTo("bin-full");
      assertThat(json.get("council").asText()).isEqualTo("default");
      assertThat(json.at("/asset/ref").asText()).isEqualTo("BIN-0042");
      assertThat(json.at("/asset/ward").asText()).isEqualTo("Castle");
      assertThat(json.at("/asset/map_url").asText()).contains("mlat=52.205300");
      assertThat(json.get("device_id").asText()).isEqualTo("bin-0042");
      assertThat(server.received.get(2).eventId())
          .isEqualTo(Long.toString(json.get("alert_event_id").asLong()));

      assertThat(fx.text("SELECT delivered_at IS NOT NULL FROM delivery")).isEqualTo("t");
      assertThat(fx.text("SELECT attempts FROM delivery")).isEqualTo("3");
      assertThat(count("retry")).isEqualTo(2);
      assertThat(count("delivered")).isEqualTo(1);
      assertThat(
              meters
                  .get("kerbside.analytics.delivery.latency")
                  .tag("channel.type", "webhook")
                  .timer()
                  .count())
          .isEqualTo(1);
      vertx.undeploy(id).await();
    }
  }

  @Test
  void givesUpAfterTheLimitAndRecordsEveryAttempt(Vertx vertx) throws Exception {
    try (WebhookServer server = new WebhookServer(SECRET, () -> 503)) {
      long delivery = fx.queued("bin-full", "crew");
      String id = deliver(vertx, server, 3);
      await().atMost(Duration.ofSeconds(20)).until(() -> "gave_up".equals(fx.status(delivery)));

      assertThat(fx.attempts(delivery)).containsExactly("failed/503", "failed/503", "gave_up/503");
      assertThat(fx.text("SELECT last_error FROM delivery"))
          .contains("HTTP 503")
          .contains("gave up after 3 attempts");
      assertThat(fx.text("SELECT delivered_at FROM delivery")).isNull();
      assertThat(count("gave_up")).isEqualTo(1);
      assertThat(count("retry")).isEqualTo(2);
      // given up means left alone: nothing more is sent
      Thread.sleep(300);
      assertThat(server.received).hasSize(3);
      vertx.undeploy(id).await();
    }
  }

  @Test
  void aRefusedNoticeIsNotRetried(Vertx vertx) throws Exception {
    try (WebhookServer server = new WebhookServer(SECRET, () -> 422)) {
      long delivery = fx.queued("bin-full", "crew");
      String id = deliver(vertx, server, 5);
      await().atMost(Duration.ofSeconds(20)).until(() -> "gave_up".equals(fx.status(delivery)));
      assertThat(fx.attempts(delivery)).containsExactly("gave_up/422");
      assertThat(server.received).hasSize(1);
      vertx.undeploy(id).await();
    }
  }

  @Test
  void aDeliveryToAnUnconfiguredChannelIsGivenUpNotLost() throws Exception {
    DeliveryWorker worker =
        new DeliveryWorker(
            "it",
            fx.ds,
            notice -> List.of(),
            List.of(),
            DeliveryFixtures.fastRetries(5),
            new DeliveryMetrics(meters));
    long delivery = fx.queued("bin-full", "removed-channel");
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(fx.status(delivery)).isEqualTo("gave_up");
    assertThat(fx.text("SELECT last_error FROM delivery")).contains("removed-channel");
  }

  @Test
  void anUnreachableReceiverIsRetried() throws Exception {
    WebhookServer gone = new WebhookServer(SECRET, () -> 200);
    Channel channel = channel(gone);
    gone.close();
    DeliveryWorker worker =
        new DeliveryWorker(
            "it",
            fx.ds,
            notice -> List.of(),
            List.of(channel),
            DeliveryFixtures.fastRetries(5),
            new DeliveryMetrics(meters));
    long delivery = fx.queued("bin-full", "crew");
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(fx.status(delivery)).isEqualTo("pending");
    assertThat(fx.attempts(delivery)).containsExactly("failed");
    assertThat(fx.text("SELECT next_attempt_at > now() FROM delivery")).isEqualTo("t");
  }

  @Test
  void theDeliveryVerticleSendsWhatTheRoutesQueue(Vertx vertx) throws Exception {
    try (WebhookServer server = new WebhookServer(SECRET, () -> 200)) {
      Map<String, String> env =
          Map.of(
              "KERBSIDE_WEBHOOK_CREW_SECRET", SECRET, "KERBSIDE_ANALYTICS_DELIVERY_POLL_MS", "20");
      RoutesConfig routes =
          RoutesConfig.parse(
              "channels:\n"
                  + "  - name: crew\n"
                  + "    type: webhook\n"
                  + "    url: "
                  + server.url()
                  + "\n"
                  + "    secret_env: KERBSIDE_WEBHOOK_CREW_SECRET\n"
                  + "routes:\n"
                  + "  - kinds: [bin]\n"
                  + "    wards: [Castle]\n"
                  + "    min_severity: major\n"
                  + "    channels: [crew]\n",
              "routes.yaml",
              Settings.from(env));
      // what the alert lifecycle does in the transaction that records the event
      long alert = fx.alert("bin-full");
      long event = fx.event(alert, "opened");
      List<String> targets = routes.channelsFor(Notices.binFull());
      assertThat(targets).containsExactly("crew");
      for (String channel : targets) {
        fx.delivery(alert, event, channel);
      }
      String id =
          vertx
              .deployVerticle(
                  new DeliveryVerticle(
                      fx.ds,
                      DeliveryConfig.from(Settings.from(env)),
                      routes,
                      (alertId, actor, note) -> false,
                      meters))
              .await();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> fx.db.count("SELECT count(*) FROM delivery WHERE status = 'delivered'") == 1);
      vertx.undeploy(id).await();
      assertThat(server.received).hasSize(1).allMatch(WebhookServer.Received::signatureValid);
    }
  }

  @Test
  void refusesALeaseShorterThanAChannelCanTake() {
    Map<String, String> env =
        Map.of("KERBSIDE_WEBHOOK_CREW_SECRET", SECRET, DeliveryConfig.LEASE, "5");
    RoutesConfig routes =
        RoutesConfig.parse(
            "channels:\n"
                + "  - name: crew\n"
                + "    type: webhook\n"
                + "    url: http://127.0.0.1:9/hook\n"
                + "    secret_env: KERBSIDE_WEBHOOK_CREW_SECRET\n",
            "routes.yaml",
            Settings.from(env));
    assertThatThrownBy(
            () ->
                new DeliveryVerticle(
                    fx.ds,
                    DeliveryConfig.from(Settings.from(env)),
                    routes,
                    (id, actor, note) -> false,
                    meters))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "KERBSIDE_ANALYTICS_DELIVERY_LEASE_S (5 s) must be longer than channel 'crew'");
  }
}
