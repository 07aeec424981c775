package io.kerbside.api;

import io.kerbside.api.auth.ApiAuthentication;
import io.kerbside.api.auth.ApiKeyRepository;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.api.auth.CrewLinks;
import io.kerbside.api.http.ApiMetrics;
import io.kerbside.api.http.Replies;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Mounts the REST API on a router: {@code /openapi.yaml}, then every operation of every {@link
 * ApiRoutes} part, then 404 for any other path under {@link #PREFIX}. An operation's handlers run
 * in this order: timing ({@link ApiMetrics}), authentication, the role check, the body (only after
 * authentication, at most the operation's limit, never written to a file), the part's handler. A
 * part this process's database login may not serve ({@link ApiAccess}) answers 503.
 */
public final class ApiRouter {
  /** Paths under this prefix authenticate with council API keys, not the operations token. */
  public static final String PREFIX = "/api/";

  /** Where the API's description is served, without a key. */
  public static final String OPENAPI_PATH = "/openapi.yaml";

  private final List<Operation> operations = new ArrayList<>();

  private ApiRouter() {}

  /**
   * Adds the API's routes to {@code router}.
   *
   * @param keysSource the database the API keys are read from
   * @param access which parts this process serves
   */
  public static ApiRouter mount(
      Router router,
      Vertx vertx,
      DataSource keysSource,
      MeterRegistry meters,
      List<ApiRoutes> parts,
      ApiAccess access) {
    return mount(router, vertx, keysSource, meters, parts, access, Optional.empty());
  }

  /**
   * Adds the API's routes to {@code router}, accepting crew links ({@code Authorization: Crew
   * <token>}) besides API keys when {@code crewLinks} is present.
   */
  public static ApiRouter mount(
      Router router,
      Vertx vertx,
      DataSource keysSource,
      MeterRegistry meters,
      List<ApiRoutes> parts,
      ApiAccess access,
      Optional<CrewLinks> crewLinks) {
    ApiRouter api = new ApiRouter();
    ApiMetrics metrics = new ApiMetrics(meters);
    ApiAuthentication authentication =
        new ApiAuthentication(vertx, new ApiKeyRepository(keysSource), crewLinks);
    Buffer openApi = Buffer.buffer(openApi());
    router
        .get(OPENAPI_PATH)
        .handler(metrics.timing(OPENAPI_PATH))
        .handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(openApi));
    boolean anyServed = false;
    for (ApiRoutes part : parts) {
      Optional<String> notServed = access.whyNotServed(part);
      anyServed |= notServed.isEmpty();
      part.addTo(
          api.endpoints(
              router, metrics, authentication, part, notServed, access.roleServing(part)));
    }
    Route unmatched = router.route(PREFIX + "*").handler(metrics.timing(ApiMetrics.UNMATCHED));
    if (anyServed) {
      unmatched.handler(authentication).handler(ctx -> Replies.error(ctx, 404, "no such endpoint"));
    } else {
      String roles =
          String.join(" or ", parts.stream().map(access::roleServing).distinct().toList());
      unmatched.handler(
          unavailable(
              "this process's database login may not serve the API; a Kerbside process whose"
                  + " login is a member of "
                  + roles
                  + " serves it",
              roles));
    }
    return api;
  }

  /** Every operation mounted, in the order the parts added them. */
  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  /** The API's description, {@code openapi.yaml}. */
  public static byte[] openApi() {
    try (InputStream in = ApiRouter.class.getResourceAsStream("openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Endpoints endpoints(
      Router router,
      ApiMetrics metrics,
      ApiAuthentication authentication,
      ApiRoutes part,
      Optional<String> notServed,
      String servingRole) {
    return new Endpoints() {
      @Override
      public void get(String path, ApiRole role, Handler<RoutingContext> handler) {
        add(HttpMethod.GET, path, role, 0, handler);
      }

      @Override
      public void post(
          String path, ApiRole role, int maxBodyBytes, Handler<RoutingContext> handler) {
        add(HttpMethod.POST, path, role, maxBodyBytes, handler);
      }

      private void add(
          HttpMethod method,
          String path,
          ApiRole role,
          int maxBodyBytes,
          Handler<RoutingContext> handler) {
        if (!path.startsWith(PREFIX)) {
          throw new IllegalArgumentException(path + " is not under " + PREFIX);
        }
        String template = Operation.template(path);
        operations.add(new Operation(method.name(), template, role, part.name()));
        Route route = router.route(method, path);
        if (maxBodyBytes > 0) {
          // The body is read after authentication (below): hold it until then.
          route.handler(
              ctx -> {
                ctx.request().pause();
                ctx.next();
              });
        }
        route.handler(metrics.timing(template));
        if (notServed.isPresent()) {
          route.handler(unavailable(notServed.get(), servingRole));
          return;
        }
        route.handler(authentication).handler(ApiAuthentication.requires(role));
        if (maxBodyBytes > 0) {
          // Only an authenticated caller's body is read, and never to a file (uploads off). Vert.x
          // wants a BodyHandler before any other handler; wrapped, it runs where it is put.
          BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
          route.handler(body::handle);
        }
        route.handler(handler);
      }
    };
  }

  private static Handler<RoutingContext> unavailable(String why, String role) {
    return ctx -> {
      ctx.response().setStatusCode(503);
      ctx.json(new JsonObject().put("error", why).put("served_by_role", role));
    };
  }
}
