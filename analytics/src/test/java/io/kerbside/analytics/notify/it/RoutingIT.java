package io.kerbside.analytics.notify.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.notify.RoutesConfig;
import io.kerbside.analytics.notify.Routing;
import io.kerbside.analytics.notify.outbox.DeliveryRepository;
import io.kerbside.core.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing recorded alert events into deliveries, as the delivery worker does before it sends: each
 * event is routed once, to each channel its routes name once, however many workers route at once.
 */
class RoutingIT {
  private static final Duration WEEK = Duration.ofDays(7);

  private DeliveryFixtures fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = DeliveryFixtures.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  /** Every event to {@code crew}; opened events to {@code office} as well. */
  private static RoutesConfig routes() {
    return RoutesConfig.parse(
        "channels:\n"
            + "  - name: crew\n"
            + "    type: webhook\n"
            + "    url: http://127.0.0.1:9/crew\n"
            + "    secret_env: KERBSIDE_WEBHOOK_SECRET\n"
            + "  - name: office\n"
            + "    type: webhook\n"
            + "    url: http://127.0.0.1:9/office\n"
            + "    secret_env: KERBSIDE_WEBHOOK_SECRET\n"
            + "routes:\n"
            + "  - name: all\n"
            + "    channels: [crew]\n"
            + "  - name: new\n"
            + "    events: [opened]\n"
            + "    channels: [office, crew]\n",
        "routes.yaml",
        Settings.from(Map.of("KERBSIDE_WEBHOOK_SECRET", "s")));
  }

  @Test
  void twoWorkersRoutingAtOnceQueueOneDeliveryPerEventAndChannel() throws Exception {
    int alerts = 150;
    for (int i = 0; i < alerts; i++) {
      long alert = fx.alert("bin-full");
      fx.event(alert, "opened");
      fx.event(alert, "acknowledged");
    }
    int events = 2 * alerts;
    RoutesConfig routes = routes();
    DeliveryRepository one = new DeliveryRepository(fx.ds);
    DeliveryRepository two = new DeliveryRepository(fx.ds);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<int[]>> runs = new ArrayList<>();
      for (DeliveryRepository repo : List.of(one, two)) {
        Callable<int[]> drain =
            () -> {
              start.await();
              int routed = 0;
              int queued = 0;
              DeliveryRepository.Routed r;
              do {
                r = repo.routeNew(7, routes, WEEK);
                routed += r.events();
                queued += r.deliveries();
              } while (r.events() > 0);
              return new int[] {routed, queued};
            };
        runs.add(pool.submit(drain));
      }
      start.countDown();
      int[] a = runs.get(0).get();
      int[] b = runs.get(1).get();

      assertThat(a[0] + b[0]).as("each event routed by one worker").isEqualTo(events);
      assertThat(a[1] + b[1]).isEqualTo(alerts * 3);
    } finally {
      pool.shutdownNow();
    }
    assertThat(fx.db.count("SELECT count(*) FROM delivery WHERE channel = 'crew'"))
        .isEqualTo(events);
    assertThat(fx.db.count("SELECT count(*) FROM delivery WHERE channel = 'office'"))
        .isEqualTo(alerts);
    assertThat(
            fx.db.count(
                "SELECT count(*) FROM (SELECT 1 FROM delivery GROUP BY alert_event_id, channel"
                    + " HAVING count(*) > 1) twice"))
        .isZero();
    assertThat(fx.db.count("SELECT count(*) FROM alert_event WHERE routed_at IS NULL")).isZero();
    assertThat(one.routeNew(10, routes, WEEK)).isEqualTo(DeliveryRepository.Routed.NONE);
  }

  @Test
  void eventsNoRouteMatchesAndEventsOlderThanTheHorizonAreRoutedWithoutDeliveries()
      throws Exception {
    long alert = fx.alert("bin-full");
    fx.event(alert, "note");
    long old = fx.event(alert, "acknowledged");
    fx.execute(
        "UPDATE alert_event SET at = now() - interval '8 days' WHERE alert_event_id = " + old);
    long fresh = fx.event(alert, "acknowledged");
    Routing onlyAcknowledged =
        n -> n.eventType().equals("acknowledged") ? List.of("crew") : List.of();

    DeliveryRepository.Routed r =
        new DeliveryRepository(fx.ds).routeNew(10, onlyAcknowledged, WEEK);

    assertThat(r).isEqualTo(new DeliveryRepository.Routed(3, 1, 1, 1));
    assertThat(fx.db.count("SELECT alert_event_id FROM delivery")).isEqualTo(fresh);
    assertThat(fx.db.count("SELECT count(*) FROM alert_event WHERE routed_at IS NULL")).isZero();
  }

  @Test
  void theLeastPrivilegedAnalyticsRoleCanRoute() throws Exception {
    String login = "kerbside_it_router";
    String password = "it-" + UUID.randomUUID();
    fx.db.createLogin(login, password, "kerbside_analytics");
    long alert = fx.alert("bin-full");
    fx.event(alert, "opened");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(fx.db.url());
    config.setUsername(login);
    config.setPassword(password);
    config.setMaximumPoolSize(1);
    config.setConnectionInitSql("SET search_path = kerbside");
    try (HikariDataSource ds = new HikariDataSource(config)) {
      DeliveryRepository.Routed r = new DeliveryRepository(ds).routeNew(10, routes(), WEEK);
      assertThat(r.events()).isEqualTo(1);
      assertThat(r.deliveries()).isEqualTo(2);
    }
    assertThat(fx.db.count("SELECT count(*) FROM delivery")).isEqualTo(2);
  }
}
