package io.kerbside.app.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The process's operational endpoints: {@code /metrics} (Prometheus text), {@code /health}
 * (alive) and {@code /ready} (200 only when every dependency of every role is up; 503 otherwise,
 * with the failing ones named).
 */
public final class OpsHttpServer {
  private final HttpServer server;

  private OpsHttpServer(HttpServer server) {
    this.server = server;
  }

  public static Future<OpsHttpServer> start(
      Vertx vertx,
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Supplier<Map<String, Boolean>> readiness) {
    Router router = Router.router(vertx);
    router
        .get("/metrics")
        .handler(
            ctx ->
                vertx
                    .executeBlocking(registry::scrape, false)
                    .onSuccess(
                        body ->
                            ctx.response()
                                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                .end(body))
                    .onFailure(ctx::fail));
    router
        .get("/health")
        .handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router
        .get("/ready")
        .handler(
            ctx -> {
              Map<String, Boolean> checks = readiness.get();
              boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
              JsonObject body = new JsonObject().put("status", ready ? "UP" : "DOWN");
              JsonObject detail = new JsonObject();
              checks.forEach((k, v) -> detail.put(k, v ? "UP" : "DOWN"));
              ctx.response().setStatusCode(ready ? 200 : 503);
              ctx.json(body.put("checks", detail));
            });
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, host)
        .map(OpsHttpServer::new);
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
