package io.kerbside.app.http;

import io.kerbside.api.ApiRouter;
import io.kerbside.app.AppConfig;
import io.kerbside.core.config.Secret;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The process's operational endpoints: {@code /metrics} (Prometheus text), {@code /health} (alive)
 * and {@code /ready} (200 only when every dependency of every role is up; 503 otherwise, with the
 * failing ones named; it also says which parts of the REST API this process serves, without
 * changing the status). With a token configured, everything but {@code /health} needs {@code
 * Authorization: Bearer <token>}. Other parts add their routes through {@code routes}; paths under
 * {@code /api/} and {@code /openapi.yaml} are theirs to authenticate (with council API keys or crew
 * links); the crew page under {@code /crew/} holds no data and needs no token. With {@link
 * AppConfig#httpsEnabled()} every endpoint is served over HTTPS only.
 */
public final class OpsHttpServer {
  private final HttpServer server;

  private OpsHttpServer(HttpServer server) {
    this.server = server;
  }

  public static Future<OpsHttpServer> start(
      Vertx vertx,
      AppConfig config,
      PrometheusMeterRegistry registry,
      Supplier<Map<String, Boolean>> readiness,
      Map<String, String> api,
      Consumer<Router> routes) {
    Router router = Router.router(vertx);
    Secret token = config.httpToken();
    if (!token.isEmpty()) {
      byte[] expected = ("Bearer " + token.reveal()).getBytes(StandardCharsets.UTF_8);
      router
          .route()
          .handler(
              ctx -> {
                String given = ctx.request().getHeader("Authorization");
                // the path the router matches, so "/api/../metrics" cannot pass as an API call
                String path = ctx.normalizedPath();
                boolean open =
                    path.equals("/health")
                        || path.startsWith(ApiRouter.PREFIX)
                        || path.equals("/crew")
                        || path.startsWith("/crew/")
                        || path.equals(ApiRouter.OPENAPI_PATH);
                if (open
                    || (given != null
                        && MessageDigest.isEqual(
                            expected, given.getBytes(StandardCharsets.UTF_8)))) {
                  ctx.next();
                } else {
                  ctx.response()
                      .setStatusCode(401)
                      .putHeader("WWW-Authenticate", "Bearer realm=\"kerbside\"")
                      .end();
                }
              });
    }
    router
        .get("/metrics")
        .handler(
            ctx ->
                vertx
                    .executeBlocking(registry::scrape, false)
                    .onSuccess(
                        body ->
                            ctx.response()
                                .putHeader(
                                    "Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                .end(body))
                    .onFailure(ctx::fail));
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
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
              JsonObject served = new JsonObject();
              api.forEach(served::put);
              ctx.json(body.put("checks", detail).put("api", served));
            });
    routes.accept(router);
    return vertx
        .createHttpServer(serverOptions(config))
        .requestHandler(router)
        .listen(config.httpPort(), config.httpHost())
        .map(OpsHttpServer::new);
  }

  /** HTTPS only when a certificate is configured: a plain-HTTP request then fails the handshake. */
  static HttpServerOptions serverOptions(AppConfig config) {
    HttpServerOptions options = new HttpServerOptions();
    if (config.httpsEnabled()) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(config.httpTlsCert().orElseThrow().toString())
                  .setKeyPath(config.httpTlsKey().orElseThrow().toString()));
    }
    return options;
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
