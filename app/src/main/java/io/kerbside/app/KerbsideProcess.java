package io.kerbside.app;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.analytics.AnalyticsMetrics;
import io.kerbside.analytics.AnalyticsVerticle;
import io.kerbside.analytics.alerts.AlertQueries;
import io.kerbside.analytics.alerts.PeopleSteps;
import io.kerbside.analytics.api.AlertRoutes;
import io.kerbside.analytics.notify.DeliveryConfig;
import io.kerbside.analytics.notify.DeliveryVerticle;
import io.kerbside.analytics.notify.RoutesConfig;
import io.kerbside.api.ApiAccess;
import io.kerbside.api.ApiRouter;
import io.kerbside.api.ApiRoutes;
import io.kerbside.api.Operation;
import io.kerbside.api.auth.CrewLinks;
import io.kerbside.app.http.HttpVerticle;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.DataSources;
import io.kerbside.core.db.Migrations;
import io.kerbside.core.runtime.FailureListener;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.ingest.IngestService;
import io.kerbside.planning.CollectionPlanner;
import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.PlanningMetrics;
import io.kerbside.planning.api.PlanningRoutes;
import io.kerbside.planning.api.RationalisationRoutes;
import io.kerbside.planning.report.BinRationalisation;
import io.kerbside.planning.report.RationalisationConfig;
import io.kerbside.planning.store.PlanRepository;
import io.kerbside.registry.api.RegistryRoutes;
import io.kerbside.worklists.Worklists;
import io.kerbside.worklists.WorklistsConfig;
import io.kerbside.worklists.api.WorklistRoutes;
import io.kerbside.worklists.crew.CrewPage;
import io.kerbside.worklists.store.WorklistRepository;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kerbside process: one {@link Vertx}, on which the requested roles are deployed as verticles
 * in this order, and undeployed in the reverse order on {@link #close()} (SIGTERM):
 *
 * <ol>
 *   <li>ingest: storage upkeep, then one verticle per MQTT connection ({@link IngestService});
 *   <li>analytics: the rule passes ({@link AnalyticsVerticle});
 *   <li>delivery of alert notices ({@link DeliveryVerticle});
 *   <li>HTTP: {@code /metrics}, {@code /health}, {@code /ready}, the REST API and the crew page
 *       ({@link HttpVerticle}).
 * </ol>
 *
 * A part that fails unexpectedly (see {@link FailureListener}) is reported DOWN on {@code /ready}
 * under its name and ends {@link #awaitStop()}, so the command exits non-zero and a supervisor
 * restarts it. It only connects parts.
 *
 * <p>With the system property {@value #STRICT_EVENT_LOOPS} set to {@code true} (the tests set it),
 * an event loop blocked longer than Vert.x allows counts as such a failure and makes {@link
 * #close()} throw, so that blocking on an event loop fails the test that caused it.
 */
public final class KerbsideProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KerbsideProcess.class);

  /** System property that makes a blocked event loop a failure of the process. */
  public static final String STRICT_EVENT_LOOPS = "kerbside.strictEventLoops";

  private static final long STEP_TIMEOUT_S = 60;

  private final Vertx vertx;
  private final HikariDataSource dataSource;
  private final PrometheusMeterRegistry meters;
  private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch endOfRun = new CountDownLatch(1);
  private final List<Supplier<Future<?>>> undeploySteps = new ArrayList<>();
  private final Map<String, Supplier<Map<String, Boolean>>> readiness = new LinkedHashMap<>();
  private volatile boolean blockedEventLoop;
  private HttpVerticle http;
  private volatile List<Operation> apiOperations = List.of();

  private KerbsideProcess(
      Vertx vertx, HikariDataSource dataSource, PrometheusMeterRegistry meters) {
    this.vertx = vertx;
    this.dataSource = dataSource;
    this.meters = meters;
  }

  /**
   * Reads the configuration, opens the pool, migrates when asked, and deploys the roles; returns
   * once every role runs.
   *
   * @throws io.kerbside.core.config.ConfigException on invalid settings
   * @throws Exception what a role failed to start with (the broker refused the credentials, the
   *     database cannot be reached); whatever was started is stopped again
   */
  public static KerbsideProcess start(Settings settings, Set<Role> roles) throws Exception {
    return start(settings, roles, Clock.systemUTC());
  }

  /**
   * As {@link #start(Settings, Set)}, with {@code clock} as the time the process works at: the
   * analytics passes and the API's answers read it (today's work lists and bin rounds, windows
   * ending now, crew link expiry, the time a person's step on an alert or a bin's emptying is
   * recorded at), so that a test can start one at a fixed instant. The ingest role keeps the system
   * clock: it also measures elapsed time with it (device cache refresh, last-seen writes), which a
   * fixed clock would stop. Timers and the delivery of notices run on real time, and rows the
   * database stamps itself ({@code alert_event.at}, {@code collection_plan.planned_at}) carry the
   * database's time.
   *
   * @throws io.kerbside.core.config.ConfigException on invalid settings
   * @throws Exception what a role failed to start with; whatever was started is stopped again
   */
  public static KerbsideProcess start(Settings settings, Set<Role> roles, Clock clock)
      throws Exception {
    DatabaseConfig db = DatabaseConfig.from(settings);
    AppConfig app = AppConfig.from(settings);
    WorklistsConfig worklistsConfig = WorklistsConfig.from(settings);
    IngestConfig ingestConfig = roles.contains(Role.INGEST) ? IngestConfig.from(settings) : null;
    AnalyticsConfig analyticsConfig =
        roles.contains(Role.ANALYTICS) ? AnalyticsConfig.from(settings) : null;
    // Routes are read with the analytics role, whose delivery worker routes every recorded step,
    // including those taken through this process's API or the command line without that role.
    RoutesConfig routes = analyticsConfig != null ? RoutesConfig.from(settings) : null;
    DeliveryConfig deliveryConfig = analyticsConfig != null ? DeliveryConfig.from(settings) : null;
    Optional<PlanningConfig> planningConfig = PlanningConfig.from(settings);
    RationalisationConfig rationalisationConfig = RationalisationConfig.from(settings);
    LOG.info(
        "starting roles {} (database {} as {}, password {})",
        roles,
        io.kerbside.core.config.SafeUrl.of(db.url()),
        db.user(),
        db.password());

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ClassLoaderMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);

    Vertx vertx = Vertx.vertx(new VertxOptions());
    HikariDataSource ds = null;
    KerbsideProcess p = null;
    try {
      ds =
          DataSources.open(
              db, String.join("-", roles.stream().map(Role::code).sorted().toList()), meters);
      if (db.migrateOnStart()) {
        Migrations.migrate(ds, db);
      }
      p = new KerbsideProcess(vertx, ds, meters);
      p.watchEventLoops();
      FailureListener failures = p::failed;
      HikariDataSource pool = ds;

      if (ingestConfig != null) {
        IngestService ingest =
            await(
                IngestService.deploy(
                    ingestConfig, pool, meters, vertx, Clock.systemUTC(), failures));
        p.undeploySteps.add(ingest::undeploy);
        p.readiness.put("ingest", ingest::readiness);
      }
      if (analyticsConfig != null) {
        AnalyticsVerticle analytics =
            new AnalyticsVerticle(analyticsConfig, pool, new AnalyticsMetrics(meters), clock);
        p.deploy(analytics);
        p.readiness.put("analytics", analytics::readiness);
        p.deploy(new DeliveryVerticle(pool, deliveryConfig, routes, analytics.steps(), meters));
      }
      PlanRepository plans = new PlanRepository(pool);
      PlanningMetrics planningMetrics = new PlanningMetrics(meters);
      List<ApiRoutes> apiParts =
          List.of(
              new RegistryRoutes(vertx, pool, clock),
              new AlertRoutes(vertx, new AlertQueries(pool), new PeopleSteps(pool, clock)),
              new PlanningRoutes(
                  vertx,
                  plans,
                  planningConfig.map(c -> new CollectionPlanner(c, plans, planningMetrics, clock)),
                  planningMetrics,
                  clock),
              new RationalisationRoutes(
                  vertx, new BinRationalisation(rationalisationConfig, pool, clock)),
              new WorklistRoutes(
                  vertx, new Worklists(new WorklistRepository(pool), worklistsConfig, clock)));
      Optional<CrewLinks> crewLinks =
          worklistsConfig.crewLinkSecret().isEmpty()
              ? Optional.empty()
              : Optional.of(new CrewLinks(worklistsConfig.crewLinkSecret(), clock));
      ApiAccess access = ApiAccess.check(pool, apiParts, db.rolePrefix());
      apiParts.forEach(
          part -> access.whyNotServed(part).ifPresent(why -> LOG.warn("http - {}", why)));
      KerbsideProcess self = p;
      p.http =
          new HttpVerticle(
              app,
              meters,
              self::readiness,
              access.report(apiParts),
              router -> {
                CrewPage.mount(router, worklistsConfig);
                self.apiOperations =
                    ApiRouter.mount(router, vertx, pool, meters, apiParts, access, crewLinks)
                        .operations();
              });
      p.deploy(p.http);
      LOG.info(
          "http - /metrics, /health, /ready, /api/v1, /openapi.yaml and /crew/ on {}://{}:{}",
          app.httpScheme(),
          app.httpHost(),
          p.http.port());
      return p;
    } catch (Exception | Error e) {
      if (p != null) {
        p.stopAll();
      }
      if (ds != null) {
        ds.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
      throw e;
    }
  }

  private void deploy(io.vertx.core.VerticleBase verticle) throws Exception {
    String id = await(vertx.deployVerticle(verticle));
    undeploySteps.add(() -> vertx.undeploy(id));
  }

  /** Called by any part, on any thread, when it cannot go on. */
  private void failed(String component, Throwable cause) {
    if (failures.putIfAbsent(component, cause) == null) {
      LOG.error("{} failed; the process stops so that it can be restarted", component, cause);
    }
    endOfRun.countDown();
  }

  /**
   * Reports a blocked event loop: Vert.x's checker logs it as always; in strict mode (tests) it is
   * also a failure of the process.
   */
  private void watchEventLoops() {
    if (!Boolean.getBoolean(STRICT_EVENT_LOOPS)) {
      return;
    }
    ((VertxInternal) vertx)
        .blockedThreadChecker()
        .setThreadBlockedHandler(
            event -> {
              Thread t = event.thread();
              LOG.warn(
                  "thread {} blocked for {} ms, limit {} ms",
                  t.getName(),
                  TimeUnit.NANOSECONDS.toMillis(event.duration()),
                  TimeUnit.NANOSECONDS.toMillis(event.maxExecTime()));
              if (t.getName().contains("eventloop")) {
                blockedEventLoop = true;
                IllegalStateException e =
                    new IllegalStateException("event loop " + t.getName() + " was blocked");
                e.setStackTrace(t.getStackTrace());
                failed("event-loop", e);
              }
            });
  }

  /** The checks {@code /ready} reports: every role's, then any part that failed, as DOWN. */
  private Map<String, Boolean> readiness() {
    Map<String, Boolean> checks = new LinkedHashMap<>();
    readiness.forEach((role, s) -> s.get().forEach((k, v) -> checks.put(role + "." + k, v)));
    failures.keySet().forEach(component -> checks.put(component, false));
    return checks;
  }

  /** The process's meters, as served on {@code /metrics}. */
  public io.micrometer.core.instrument.MeterRegistry meters() {
    return meters;
  }

  /**
   * Runs {@code task} every {@code period} on one of this process's event loops until {@link
   * #close()}: for what only reads memory (a status line from the meters), never for blocking work.
   */
  public void every(Duration period, Runnable task) {
    vertx.setPeriodic(period.toMillis(), id -> task.run());
  }

  /**
   * Every REST operation this process mounted (served or answered 503), as the router lists them.
   */
  public List<Operation> apiOperations() {
    return apiOperations;
  }

  public int httpPort() {
    return http.port();
  }

  /** The parts that failed and why; empty while all is well. */
  public Map<String, Throwable> failures() {
    return Map.copyOf(failures);
  }

  /**
   * Blocks until {@link #close()} has run (for example from the SIGTERM hook) or a part failed.
   *
   * @return true when a part failed: the caller should stop the process and exit non-zero
   */
  public boolean awaitStop() throws InterruptedException {
    endOfRun.await();
    return !failures.isEmpty();
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_S * 10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  /** Undeploys in the reverse order of deployment; each step is given its time, then the next. */
  private void stopAll() {
    for (int i = undeploySteps.size() - 1; i >= 0; i--) {
      try {
        undeploySteps
            .get(i)
            .get()
            .toCompletionStage()
            .toCompletableFuture()
            .get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("a shutdown step failed", e);
      }
    }
    undeploySteps.clear();
  }

  /**
   * Stops the roles in reverse order, closes the pool and Vert.x.
   *
   * @throws IllegalStateException in strict mode, when an event loop was blocked while it ran
   */
  @Override
  public void close() {
    synchronized (stopped) {
      if (stopped.getCount() == 0) {
        return;
      }
      LOG.info("stopping");
      stopAll();
      dataSource.close();
      Promise<Void> closed = Promise.promise();
      vertx.close().onComplete(closed);
      try {
        closed
            .future()
            .toCompletionStage()
            .toCompletableFuture()
            .get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("closing Vert.x failed", e);
      }
      stopped.countDown();
      endOfRun.countDown();
    }
    if (blockedEventLoop) {
      throw new IllegalStateException(
          "an event loop was blocked while the process ran", failures.get("event-loop"));
    }
  }
}
