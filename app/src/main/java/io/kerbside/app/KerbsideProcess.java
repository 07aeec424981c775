package io.kerbside.app;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.analytics.AnalyticsMetrics;
import io.kerbside.analytics.AnalyticsVerticle;
import io.kerbside.analytics.alerts.AlertStore;
import io.kerbside.analytics.api.AlertsApi;
import io.kerbside.analytics.notify.DeliveryConfig;
import io.kerbside.analytics.notify.DeliveryVerticle;
import io.kerbside.analytics.notify.RoutesConfig;
import io.kerbside.analytics.notify.Routing;
import io.kerbside.app.http.OpsHttpServer;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.DataSources;
import io.kerbside.core.db.Migrations;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.ingest.IngestService;
import io.kerbside.registry.api.RegistryApi;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring of one Kerbside process: reads configuration, opens the pool, optionally migrates, starts
 * the requested roles, the operational HTTP endpoints and the registry's REST API, and stops them
 * in reverse order on SIGTERM. It only connects parts.
 */
public final class KerbsideProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KerbsideProcess.class);

  private final Vertx vertx;
  private final HikariDataSource dataSource;
  private final OpsHttpServer http;
  private final IngestService ingest;
  private final AnalyticsVerticle analytics;
  private final DeliveryVerticle delivery;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final PrometheusMeterRegistry meters;

  private KerbsideProcess(
      Vertx vertx,
      HikariDataSource dataSource,
      OpsHttpServer http,
      IngestService ingest,
      AnalyticsVerticle analytics,
      DeliveryVerticle delivery,
      PrometheusMeterRegistry meters) {
    this.analytics = analytics;
    this.delivery = delivery;
    this.meters = meters;
    this.vertx = vertx;
    this.dataSource = dataSource;
    this.http = http;
    this.ingest = ingest;
  }

  public static KerbsideProcess start(Settings settings, Set<Role> roles) throws Exception {
    DatabaseConfig db = DatabaseConfig.from(settings);
    AppConfig app = AppConfig.from(settings);
    IngestConfig ingestConfig = roles.contains(Role.INGEST) ? IngestConfig.from(settings) : null;
    AnalyticsConfig analyticsConfig =
        roles.contains(Role.ANALYTICS) ? AnalyticsConfig.from(settings) : null;
    // Routes are read with the analytics role; a process without it queues no deliveries.
    RoutesConfig routes = analyticsConfig != null ? RoutesConfig.from(settings) : null;
    DeliveryConfig deliveryConfig = analyticsConfig != null ? DeliveryConfig.from(settings) : null;
    Routing routing = routes != null ? routes : Routing.none();
    LOG.info(
        "starting roles {} (database {} as {}, password {})",
        roles,
        db.url(),
        db.user(),
        db.password());

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ClassLoaderMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);

    Vertx vertx = Vertx.vertx();
    HikariDataSource ds = null;
    IngestService ingest = null;
    AnalyticsVerticle analytics = null;
    DeliveryVerticle delivery = null;
    OpsHttpServer http = null;
    try {
      ds =
          DataSources.open(
              db, String.join("-", roles.stream().map(Role::code).sorted().toList()), meters);
      if (db.migrateOnStart()) {
        Migrations.migrate(ds, db);
      }
      if (ingestConfig != null) {
        ingest = IngestService.start(ingestConfig, ds, meters, vertx, Clock.systemUTC());
      }
      if (analyticsConfig != null) {
        analytics =
            new AnalyticsVerticle(
                analyticsConfig, ds, routing, new AnalyticsMetrics(meters), Clock.systemUTC());
        delivery = new DeliveryVerticle(ds, deliveryConfig, routes, analytics.alerts(), meters);
        await(vertx.deployVerticle(analytics));
        await(vertx.deployVerticle(delivery));
      }
      IngestService ingestRef = ingest;
      AnalyticsVerticle analyticsRef = analytics;
      AlertStore alertStore = new AlertStore(ds, routing);
      HikariDataSource dsRef = ds;
      http =
          OpsHttpServer.start(
                  vertx,
                  app.httpHost(),
                  app.httpPort(),
                  app.httpToken(),
                  meters,
                  () -> {
                    Map<String, Boolean> checks = new LinkedHashMap<>();
                    if (ingestRef != null) {
                      ingestRef.readiness().forEach((k, v) -> checks.put("ingest." + k, v));
                    }
                    if (analyticsRef != null) {
                      analyticsRef.readiness().forEach((k, v) -> checks.put("analytics." + k, v));
                    }
                    return checks;
                  },
                  router ->
                      RegistryApi.mount(
                          router,
                          vertx,
                          dsRef,
                          meters,
                          endpoints -> AlertsApi.mount(endpoints, vertx, alertStore)))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      LOG.info(
          "http - /metrics, /health, /ready, /api/v1 and /openapi.yaml on http://{}:{}",
          app.httpHost(),
          http.port());
      return new KerbsideProcess(vertx, ds, http, ingest, analytics, delivery, meters);
    } catch (Exception | Error e) {
      if (ingest != null) {
        ingest.close();
      }
      if (ds != null) {
        ds.close();
      }
      vertx.close(); // undeploys the verticles
      throw e;
    }
  }

  /** The process's meters, as served on {@code /metrics}. */
  public io.micrometer.core.instrument.MeterRegistry meters() {
    return meters;
  }

  public int httpPort() {
    return http.port();
  }

  /** Blocks until {@link #close()} has run (for example from the SIGTERM hook). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  private static void await(io.vertx.core.Future<?> f) {
    await(f, 10);
  }

  private static void await(io.vertx.core.Future<?> f, int seconds) {
    try {
      f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("a start-up or shutdown step did not complete", e);
    }
  }

  @Override
  public void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    LOG.info("stopping");
    List<Runnable> steps = new ArrayList<>();
    if (ingest != null) {
      steps.add(ingest::close);
    }
    if (analytics != null) {
      // the verticle waits up to 30 s for a pass in progress
      steps.add(() -> await(vertx.undeploy(analytics.deploymentID()), 40));
    }
    if (delivery != null) {
      // the verticle waits up to 10 s for deliveries in progress, then closes its channels
      steps.add(() -> await(vertx.undeploy(delivery.deploymentID()), 20));
    }
    steps.add(() -> await(http.close()));
    steps.add(dataSource::close);
    steps.add(() -> await(vertx.close()));
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        LOG.warn("a shutdown step failed", e);
      }
    }
    stopped.countDown();
  }
}
