package io.kerbside.app.http;

import io.kerbside.core.config.Secret;
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
  private final String host;
  private final int port;
  private final Secret token;
  private final PrometheusMeterRegistry meters;
  private final Supplier<Map<String, Boolean>> readiness;
  private final Map<String, String> api;
  private final Consumer<Router> routes;
  private volatile OpsHttpServer server;

  /**
   * @param port 0 picks a free one ({@link #port()} tells which)
   * @param readiness the checks {@code /ready} reports, called on the event loop: must not block
   * @param api which parts of the REST API this process serves, and why not, for {@code /ready}
   */
  public HttpVerticle(
      String host,
      int port,
      Secret token,
      PrometheusMeterRegistry meters,
      Supplier<Map<String, Boolean>> readiness,
      Map<String, String> api,
      Consumer<Router> routes) {
    this.host = host;
    this.port = port;
    this.token = token;
    this.meters = meters;
    this.readiness = readiness;
    this.api = Map.copyOf(api);
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    return OpsHttpServer.start(vertx, host, port, token, meters, readiness, api, routes)
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
