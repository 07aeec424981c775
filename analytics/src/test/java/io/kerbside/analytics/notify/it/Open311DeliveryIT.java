package io.kerbside.analytics.notify.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.analytics.notify.ChannelSettings;
import io.kerbside.analytics.notify.DeliveryConfig;
import io.kerbside.analytics.notify.DeliveryMetrics;
import io.kerbside.analytics.notify.DeliveryVerticle;
import io.kerbside.analytics.notify.DeliveryWorker;
import io.kerbside.analytics.notify.ExternalResolution;
import io.kerbside.analytics.notify.Open311StatusPoller;
import io.kerbside.analytics.notify.RoutesConfig;
import io.kerbside.analytics.notify.channel.Channels;
import io.kerbside.core.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Open311 delivery to a local works system that implements the GeoReport v2 endpoints, and the
 * status poll that resolves the alert when the works system closes the request.
 */
@ExtendWith(VertxExtension.class)
class Open311DeliveryIT {
  private static final String API_KEY = "works-api-key-77";

  record Resolved(long alertId, String actor, String note) {}

  /** Where a resolution was asked for: the thread's name and whether it was an event loop. */
  record Caller(String thread, boolean onEventLoop) {}

  private DeliveryFixtures fx;
  private GeoReportServer works;
  private RoutesConfig routes;
  private ChannelSettings.Open311 settings;
  private DeliveryWorker worker;
  private Open311StatusPoller poller;
  private final List<Resolved> resolved = new CopyOnWriteArrayList<>();
  private final List<Caller> callers = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Stands in for the alert store: records the call and resolves the alert as it would. */
  private final ExternalResolution store =
      (alertId, actor, note) -> {
        callers.add(new Caller(Thread.currentThread().getName(), Context.isOnEventLoopThread()));
        try (Connection c = fx.ds.getConnection();
            PreparedStatement st =
                c.prepareStatement(
                    "UPDATE alert SET status = 'resolved', resolved_at = now(), resolved_by = ?"
                        + " WHERE alert_id = ? AND status <> 'resolved'")) {
          st.setString(1, actor);
          st.setLong(2, alertId);
          boolean done = st.executeUpdate() == 1;
          resolved.add(new Resolved(alertId, actor, note));
          return done;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    fx = DeliveryFixtures.create();
    works = new GeoReportServer(API_KEY, Set.of("bins", "lights"));
    routes =
        RoutesConfig.parse(
            "channels:\n"
                + "  - name: works\n"
                + "    type: open311\n"
                + "    endpoint: "
                + works.endpoint()
                + "\n"
                + "    api_key_env: KERBSIDE_OPEN311_WORKS_KEY\n"
                + "    service_codes:\n"
                + "      bin-full: bins\n"
                + "      lamp-failure: lights\n",
            "routes.yaml",
            Settings.from(Map.of("KERBSIDE_OPEN311_WORKS_KEY", API_KEY)));
    settings = (ChannelSettings.Open311) routes.channel("works").orElseThrow();
    DeliveryConfig config = DeliveryFixtures.fastRetries(3);
    DeliveryMetrics metrics = new DeliveryMetrics(meters);
    worker =
        new DeliveryWorker(
            "it",
            fx.ds,
            notice -> List.of(),
            List.of(Channels.create(settings, Clock.systemUTC())),
            config,
            metrics);
    poller = new Open311StatusPoller(fx.ds, List.of(settings), store, metrics);
  }

  @AfterEach
  void tearDown() throws Exception {
    works.close();
    fx.close();
  }

  @Test
  void raisesAServiceRequestAndResolvesTheAlertWhenTheWorksSystemClosesIt() throws Exception {
    long alert = fx.alert("bin-full");
    long delivery = fx.delivery(alert, fx.event(alert, "opened"), "works");

    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(fx.status(delivery)).isEqualTo("delivered");
    assertThat(works.posted).hasSize(1);
    Map<String, String> form = works.posted.get(0);
    assertThat(form)
        .containsEntry("api_key", API_KEY)
        .containsEntry("service_code", "bins")
        .containsEntry("lat", "52.2053000")
        .containsEntry("long", "0.1218000")
        .containsEntry("address_string", "Market Street")
        .containsEntry("attribute[kerbside_alert_id]", Long.toString(alert))
        .containsEntry("attribute[asset_ref]", "BIN-0042");
    assertThat(form.get("description")).contains("Bin 91% full").contains("BIN-0042");
    String requestId = fx.text("SELECT external_id FROM delivery WHERE delivery_id = " + delivery);
    assertThat(works.requests).containsKey(requestId);

    // still open at the works system: nothing happens
    assertThat(poller.pollOnce()).isZero();
    assertThat(works.statusReads.get()).isEqualTo(1);
    assertThat(resolved).isEmpty();

    works.close(requestId, "Bin emptied by crew 4");
    assertThat(poller.pollOnce()).isEqualTo(1);
    assertThat(resolved)
        .containsExactly(new Resolved(alert, "open311:works", "Bin emptied by crew 4"));
    assertThat(fx.text("SELECT status FROM alert WHERE alert_id = " + alert)).isEqualTo("resolved");
    assertThat(meters.get("kerbside.analytics.external.resolutions").counter().count())
        .isEqualTo(1);

    // a resolved alert's request is no longer polled
    int reads = works.statusReads.get();
    assertThat(poller.pollOnce()).isZero();
    assertThat(works.statusReads.get()).isEqualTo(reads);
  }

  @Test
  void followsAQueuedRequestByItsToken() throws Exception {
    works.answerWithTokens = true;
    long alert = fx.alert("lamp-failure");
    long delivery = fx.delivery(alert, fx.event(alert, "opened"), "works");

    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(fx.status(delivery)).isEqualTo("delivered");
    String token = fx.text("SELECT external_id FROM delivery WHERE delivery_id = " + delivery);
    assertThat(token).startsWith("token:tok-");
    assertThat(works.posted.get(0)).containsEntry("service_code", "lights");

    assertThat(poller.pollOnce()).isZero();
    String requestId = fx.text("SELECT external_id FROM delivery WHERE delivery_id = " + delivery);
    assertThat(requestId).isEqualTo(token.substring("token:tok-".length()));

    works.close(requestId, "Lamp replaced");
    assertThat(poller.pollOnce()).isEqualTo(1);
    assertThat(resolved).containsExactly(new Resolved(alert, "open311:works", "Lamp replaced"));
  }

  @Test
  void aRuleWithoutAServiceCodeIsGivenUp() throws Exception {
    long alert = fx.alert("fire-risk");
    long delivery = fx.delivery(alert, fx.event(alert, "opened"), "works");
    assertThat(worker.runOnce()).isEqualTo(1);
    assertThat(fx.status(delivery)).isEqualTo("gave_up");
    assertThat(fx.text("SELECT last_error FROM delivery"))
        .contains("no service_code for rule fire-risk");
    assertThat(works.posted).isEmpty();
  }

  @Test
  void aRequestTheWorksSystemRefusesIsGivenUpWithItsReason() throws Exception {
    ChannelSettings.Open311 wrongKey =
        new ChannelSettings.Open311(
            "works",
            works.endpoint(),
            io.kerbside.core.config.Secret.of("not-the-key"),
            java.util.Optional.empty(),
            Map.of("bin-full", "bins"),
            java.util.Optional.empty(),
            5000);
    DeliveryWorker w =
        new DeliveryWorker(
            "it",
            fx.ds,
            notice -> List.of(),
            List.of(Channels.create(wrongKey, Clock.systemUTC())),
            DeliveryFixtures.fastRetries(3),
            new DeliveryMetrics(meters));
    long delivery = fx.queued("bin-full", "works");
    assertThat(w.runOnce()).isEqualTo(1);
    assertThat(fx.status(delivery)).isEqualTo("gave_up");
    assertThat(fx.attempts(delivery)).containsExactly("gave_up/403");
    assertThat(fx.text("SELECT last_error FROM delivery")).contains("Invalid api_key");
  }

  @Test
  void theVerticleRaisesTheRequestAndPollsItsStatusOnTheDeliveryPool(Vertx vertx) throws Exception {
    long alert = fx.alert("bin-full");
    long delivery = fx.delivery(alert, fx.event(alert, "opened"), "works");
    // polls every 20 ms for deliveries and every second for the works requests
    String id =
        vertx
            .deployVerticle(
                new DeliveryVerticle(fx.ds, DeliveryFixtures.fastRetries(3), routes, store, meters))
            .await();

    await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(fx.status(delivery)));
    String requestId = fx.text("SELECT external_id FROM delivery WHERE delivery_id = " + delivery);
    works.close(requestId, "Bin emptied by crew 2");
    await().atMost(Duration.ofSeconds(20)).until(() -> !resolved.isEmpty());
    vertx.undeploy(id).await();

    assertThat(resolved)
        .containsExactly(new Resolved(alert, "open311:works", "Bin emptied by crew 2"));
    assertThat(callers)
        .isNotEmpty()
        .allSatisfy(
            c -> {
              assertThat(c.thread()).startsWith(DeliveryVerticle.EXECUTOR + "-");
              assertThat(c.onEventLoop()).isFalse();
            });
  }
}
