package io.kerbside.app.http;

import io.kerbside.app.AppConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The process's HTTP server as a verticle: {@code /metrics}, {@code /health}, {@code /ready} and
 * whatever routes the roles mount (the REST API). Handlers run on its event loop; those that touch
 * the database hand the work to a worker.
 */
public final class HttpVerticle extends VerticleBase {
  private final AppConfig config;
  private final PrometheusMeterRegistry meters;
  private final Supplier<Map<String, Boolean>> readiness;
  private final Map<String, String> api;
  private final Consumer<Router> routes;
  private volatile OpsHttpServer server;

  /**
   * @param config where to listen (port 0 picks a free one, {@link #port()} tells which), the token
   *     and the TLS certificate
   * @param readiness the checks {@code /ready} reports, called on the event loop: must not block
   * @param api which parts of the REST API this process serves, and why not, for {@code /ready}
   */
  public HttpVerticle(
      AppConfig config,
      PrometheusMeterRegistry meters,
      Supplier<Map<String, Boolean>> readiness,
      Map<String, String> api,
      Consumer<Router> routes) {
    this.config = config;
    this.meters = meters;
    this.readiness = readiness;
    this.api = Map.copyOf(api);
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    return OpsHttpServer.start(vertx, config, meters, readiness, api, routes)
        .onSuccess(s -> server = s);
  }

  /** The port listened on; valid once started. */
  public int port() {
    return server.port();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
