package io.kerbside.api;

import io.kerbside.api.auth.ApiRole;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Where an {@link ApiRoutes} adds its operations. Before a handler runs, the router has timed the
 * request, authenticated the caller ({@link io.kerbside.api.auth.ApiAuthentication#principal}),
 * checked the role and, for a body, read at most {@code maxBodyBytes} (never to a file). Handlers
 * run on the event loop and hand JDBC to a worker ({@link io.kerbside.api.http.Replies#respond}).
 */
public interface Endpoints {
  /**
   * @param path a route path under {@code /api/}, such as {@code /api/v1/alerts/:id}
   * @param role the least role that may call it
   */
  void get(String path, ApiRole role, Handler<RoutingContext> handler);

  /**
   * @param maxBodyBytes the largest request body accepted; a larger one is answered 413
   */
  void post(String path, ApiRole role, int maxBodyBytes, Handler<RoutingContext> handler);
}
