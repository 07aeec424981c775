package io.kerbside.registry.api;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import io.kerbside.registry.Asset;
import io.kerbside.registry.AssetAttributes;
import io.kerbside.registry.AssetStatus;
import io.kerbside.registry.store.ApiKeyRepository;
import io.kerbside.registry.store.AssetFilter;
import io.kerbside.registry.store.AssetRepository;
import io.kerbside.registry.store.BoundingBox;
import io.kerbside.registry.store.DeviceInfo;
import io.kerbside.registry.store.Page;
import io.kerbside.registry.store.ReadingPoint;
import io.kerbside.registry.store.ReadingRepository;
import io.kerbside.registry.store.StoredAsset;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the registry's routes on a router: {@code GET /api/v1/assets}, {@code
 * /api/v1/assets/{id}}, {@code /api/v1/assets/{id}/readings}, {@code /api/v1/devices} and the
 * description at {@code /openapi.yaml}. JDBC runs on worker threads, never on the event loop.
 */
public final class RegistryApi {
  /** Paths under this prefix authenticate with council API keys, not the operations token. */
  public static final String PREFIX = "/api/";

  public static final String OPENAPI_PATH = "/openapi.yaml";

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int MAX_READINGS_LIMIT = 10_000;
  static final int DEFAULT_READINGS_LIMIT = 1000;
  private static final Pattern BUCKET = Pattern.compile("([1-9][0-9]{0,3})([mhd])");
  private static final String COUNCIL = "kerbside.council";
  private static final String PRINCIPAL = "kerbside.principal";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);

  private final Vertx vertx;
  private final AssetRepository assets;
  private final ReadingRepository readings;
  private final ApiKeyRepository keys;

  private RegistryApi(Vertx vertx, DataSource dataSource) {
    this.vertx = vertx;
    this.assets = new AssetRepository(dataSource);
    this.readings = new ReadingRepository(dataSource);
    this.keys = new ApiKeyRepository(dataSource);
  }

  /**
   * Adds the routes to {@code router}: the registry's endpoints, then those {@code more} adds
   * through {@link Endpoints} (other modules' endpoints, which find the caller with {@link
   * #principal}), then 404 for any other {@code /api/} path. Every request under {@link #PREFIX}
   * and {@link #OPENAPI_PATH} is timed into {@code meters} (see {@link ApiMetrics}).
   */
  public static void mount(
      Router router,
      Vertx vertx,
      DataSource dataSource,
      MeterRegistry meters,
      java.util.function.Consumer<Endpoints> more) {
    RegistryApi api = new RegistryApi(vertx, dataSource);
    ApiMetrics metrics = new ApiMetrics(meters);
    Buffer openApi = Buffer.buffer(resource("openapi.yaml"));
    router
        .get(OPENAPI_PATH)
        .handler(metrics.timing(OPENAPI_PATH))
        .handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(openApi));
    api.endpoint(
        router, metrics, "/api/v1/assets", api.listing(api.assets::list, RegistryApi::asset));
    api.endpoint(router, metrics, "/api/v1/assets/:id", api::oneAsset);
    api.endpoint(router, metrics, "/api/v1/assets/:id/readings", api::assetReadings);
    api.endpoint(
        router, metrics, "/api/v1/devices", api.listing(api.assets::devices, RegistryApi::device));
    more.accept(
        (method, path, maxBodyBytes, handlers) -> {
          io.vertx.ext.web.Route route = router.route(method, path);
          if (maxBodyBytes > 0) {
            // No endpoint takes files: uploads off, so no client can make the server write any.
            route.handler(
                io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(maxBodyBytes));
          }
          route
              .handler(metrics.timing(path.replaceAll(":([a-z]+)", "{$1}")))
              .handler(api::authenticate);
          for (Handler<RoutingContext> h : handlers) {
            route.handler(h);
          }
        });
    router
        .route(PREFIX + "*")
        .handler(metrics.timing(ApiMetrics.UNMATCHED))
        .handler(api::authenticate)
        .handler(ctx -> error(ctx, 404, "no such endpoint"));
  }

  /** A GET endpoint: timed under its template ({@code :id} written {@code {id}}), authenticated. */
  private void endpoint(
      Router router, ApiMetrics metrics, String path, Handler<RoutingContext> handler) {
    router
        .get(path)
        .handler(metrics.timing(path.replaceAll(":([a-z]+)", "{$1}")))
        .handler(this::authenticate)
        .handler(handler);
  }

  /** Adds an endpoint under {@link #PREFIX}: timed under its template, then authenticated. */
  @FunctionalInterface
  public interface Endpoints {
    /**
     * @param path a route path such as {@code /api/v1/alerts/:id}
     * @param maxBodyBytes the largest request body read (before anything else), 0 for none
     * @param handlers run in order after authentication
     */
    void add(
        io.vertx.core.http.HttpMethod method,
        String path,
        int maxBodyBytes,
        List<Handler<RoutingContext>> handlers);
  }

  private static byte[] resource(String name) {
    try (InputStream in = RegistryApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      unauthorized(ctx);
      return;
    }
    String key = header.substring(7).strip();
    vertx
        .executeBlocking(() -> keys.principal(key), false)
        .onSuccess(
            principal -> {
              if (principal.isEmpty()) {
                unauthorized(ctx);
              } else {
                ctx.put(PRINCIPAL, principal.get());
                ctx.put(COUNCIL, principal.get().council());
                ctx.next();
              }
            })
        .onFailure(e -> failed(ctx, e));
  }

  /** The authenticated caller of an {@code /api/} request. */
  public static io.kerbside.registry.store.ApiPrincipal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"kerbside\"");
    error(ctx, 401, "a council API key is needed: Authorization: Bearer <key>");
  }

  /** One page of a council's assets or devices, as a repository lists them. */
  @FunctionalInterface
  private interface Lister<T> {
    Page<T> list(CouncilRef council, AssetFilter filter, int limit, int offset) throws SQLException;
  }

  /**
   * A list endpoint: {@code kind}, {@code ward}, {@code status}, {@code bbox}, {@code limit} and
   * {@code offset} are parsed once here for every list.
   */
  private <T> Handler<RoutingContext> listing(Lister<T> lister, Function<T, JsonObject> item) {
    return ctx -> {
      CouncilRef council = ctx.get(COUNCIL);
      Params p = new Params(ctx);
      AssetFilter filter = p.filter();
      int limit = p.limit(MAX_LIMIT, DEFAULT_LIMIT);
      int offset = p.offset();
      if (p.reject()) {
        return;
      }
      respond(
          ctx, () -> lister.list(council, filter, limit, offset), page -> page(ctx, page, item));
    };
  }

  private void oneAsset(RoutingContext ctx) {
    CouncilRef council = ctx.get(COUNCIL);
    Params p = new Params(ctx);
    long id = p.id();
    if (p.reject()) {
      return;
    }
    respond(
        ctx,
        () -> {
          Optional<StoredAsset> found = assets.find(council, id);
          if (found.isEmpty()) {
            return null;
          }
          JsonObject body = asset(found.get());
          Map<String, ReadingPoint> latest =
              readings.latest(council, id, found.get().asset().kind());
          JsonArray devices = new JsonArray();
          for (DeviceInfo d : assets.devicesOf(council, id)) {
            ReadingPoint r = latest.get(d.deviceId());
            devices.add(device(d).put("latest_reading", r == null ? null : reading(r)));
          }
          return body.put("devices", devices);
        },
        body -> {
          if (body == null) {
            error(ctx, 404, "no asset " + id);
          } else {
            ctx.json(body);
          }
        });
  }

  private void assetReadings(RoutingContext ctx) {
    CouncilRef council = ctx.get(COUNCIL);
    Params p = new Params(ctx);
    long id = p.id();
    Instant to = p.instant("to", Instant.now());
    Instant from = p.instant("from", to.minus(Duration.ofDays(1)));
    Duration bucket = p.bucket();
    int limit = p.limit(MAX_READINGS_LIMIT, DEFAULT_READINGS_LIMIT);
    int offset = p.offset();
    if (!p.failed() && !from.isBefore(to)) {
      p.problem("from must be before to");
    }
    if (p.reject()) {
      return;
    }
    respond(
        ctx,
        () -> {
          Optional<StoredAsset> found = assets.find(council, id);
          if (found.isEmpty()) {
            return null;
          }
          DeviceKind kind = found.get().asset().kind();
          List<ReadingPoint> points =
              readings.range(council, id, kind, from, to, bucket, limit, offset);
          JsonArray items = new JsonArray();
          points.forEach(r -> items.add(reading(r)));
          return new JsonObject()
              .put("asset_id", id)
              .put("from", from.toString())
              .put("to", to.toString())
              .put("bucket", ctx.request().getParam("bucket"))
              .put("limit", limit)
              .put("offset", offset)
              .put("items", items);
        },
        body -> {
          if (body == null) {
            error(ctx, 404, "no asset " + id);
          } else {
            ctx.json(body);
          }
        });
  }

  private <T> void respond(RoutingContext ctx, Callable<T> query, Consumer<T> answer) {
    vertx.executeBlocking(query, false).onSuccess(answer::accept).onFailure(e -> failed(ctx, e));
  }

  private static void failed(RoutingContext ctx, Throwable e) {
    LOG.error("api - {} {} failed", ctx.request().method(), ctx.request().path(), e);
    error(ctx, 500, "internal error");
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status);
    ctx.json(new JsonObject().put("error", message));
  }

  private static <T> void page(RoutingContext ctx, Page<T> page, Function<T, JsonObject> item) {
    JsonArray items = new JsonArray();
    page.items().forEach(i -> items.add(item.apply(i)));
    JsonObject body =
        new JsonObject()
            .put("items", items)
            .put("total", page.total())
            .put("limit", page.limit())
            .put("offset", page.offset());
    if (page.offset() + page.items().size() < page.total()) {
      body.put("next_offset", page.offset() + page.items().size());
    }
    ctx.json(body);
  }

  static JsonObject asset(StoredAsset stored) {
    Asset a = stored.asset();
    JsonObject attributes = new JsonObject();
    if (a.attributes() instanceof AssetAttributes.Bin b) {
      attributes
          .put("bin_depth_mm", b.depthMm())
          .put("bin_capacity_l", b.capacityL())
          .put(
              "collection_days",
              new JsonArray(
                  b.collectionDays().stream()
                      .sorted()
                      .map(DayOfWeek::name)
                      .map(d -> d.substring(0, 3).toLowerCase(Locale.ROOT))
                      .map(Object.class::cast)
                      .toList()))
          .put(
              "collection_time", b.collectionTime() == null ? null : b.collectionTime().toString());
    } else if (a.attributes() instanceof AssetAttributes.Streetlight s) {
      attributes
          .put("lamp_type", s.lampType())
          .put("rated_power_w", s.ratedPowerW())
          .put("dimming_profile", s.dimmingProfile())
          .put("mounting_height_m", s.mountingHeightM());
    } else if (a.attributes() instanceof AssetAttributes.Pavement p) {
      attributes
          .put("surface", p.surface())
          .put("pavement_use", p.use())
          .put("section_length_m", p.sectionLengthM())
          .put("shade", p.shade());
    }
    return new JsonObject()
        .put("id", stored.id())
        .put("ref", a.ref())
        .put("kind", a.kind().code())
        .put("name", a.name())
        .put("latitude", a.latitude())
        .put("longitude", a.longitude())
        .put("street", a.street())
        .put("street_type", a.streetType())
        .put("ward", a.ward())
        .put("status", a.status().code())
        .put("installed_on", a.installedOn() == null ? null : a.installedOn().toString())
        .put("attributes", attributes);
  }

  static JsonObject device(DeviceInfo d) {
    return new JsonObject()
        .put("device_id", d.deviceId())
        .put("kind", d.kind().code())
        .put("asset_id", d.assetId())
        .put("asset_ref", d.assetRef())
        .put("attached_at", d.attachedAt() == null ? null : d.attachedAt().toString())
        .put("last_seen_at", d.lastSeenAt() == null ? null : d.lastSeenAt().toString())
        .put("expected_interval_s", d.expectedIntervalS())
        .put("registration", d.registration());
  }

  static JsonObject reading(ReadingPoint r) {
    JsonObject values = new JsonObject();
    for (Metric m : Metric.values()) {
      Double v = r.values().get(m);
      if (v != null) {
        values.put(m.code(), v);
      }
    }
    JsonObject json = new JsonObject().put("at", r.at().toString());
    if (r.deviceId() != null) {
      json.put("device_id", r.deviceId());
    } else {
      json.put("count", r.count());
    }
    return json.put("values", values);
  }

  /** Query parameters, with the first problem found. */
  private static final class Params {
    private final RoutingContext ctx;
    private String problem;

    Params(RoutingContext ctx) {
      this.ctx = ctx;
    }

    void problem(String p) {
      if (problem == null) {
        problem = p;
      }
    }

    boolean failed() {
      return problem != null;
    }

    /** Answers 400 and returns true when a parameter was wrong. */
    boolean reject() {
      if (problem != null) {
        error(ctx, 400, problem);
        return true;
      }
      return false;
    }

    private String text(String name) {
      String v = ctx.request().getParam(name);
      return v == null || v.isBlank() ? null : v.strip();
    }

    private int integer(String name, int dflt, int min, int max) {
      String v = text(name);
      if (v == null) {
        return dflt;
      }
      try {
        int n = Integer.parseInt(v);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problem(name + " must be a whole number between " + min + " and " + max);
      return dflt;
    }

    int limit(int max, int dflt) {
      return integer("limit", dflt, 1, max);
    }

    int offset() {
      return integer("offset", 0, 0, Integer.MAX_VALUE);
    }

    long id() {
      try {
        return Long.parseLong(ctx.pathParam("id"));
      } catch (NumberFormatException e) {
        problem("the asset id must be a number");
        return 0;
      }
    }

    Instant instant(String name, Instant dflt) {
      String v = text(name);
      if (v == null) {
        return dflt;
      }
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        problem(name + " must be an instant like 2026-01-31T00:00:00Z");
        return dflt;
      }
    }

    Duration bucket() {
      String v = text("bucket");
      if (v == null) {
        return null;
      }
      Matcher m = BUCKET.matcher(v);
      if (!m.matches()) {
        problem("bucket must be a number and m, h or d, such as 15m, 1h or 1d");
        return null;
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }

    AssetFilter filter() {
      DeviceKind kind = null;
      String k = text("kind");
      if (k != null) {
        kind = DeviceKind.fromCode(k).orElse(null);
        if (kind == null) {
          problem("kind must be bin, streetlight or pavement");
        }
      }
      AssetStatus status = null;
      String s = text("status");
      if (s != null) {
        status = AssetStatus.fromCode(s).orElse(null);
        if (status == null) {
          problem("status must be planned, active, faulty or removed");
        }
      }
      BoundingBox bbox = null;
      String b = text("bbox");
      if (b != null) {
        try {
          bbox = BoundingBox.parse(b);
        } catch (IllegalArgumentException e) {
          problem(e.getMessage());
        }
      }
      return new AssetFilter(kind, text("ward"), status, bbox);
    }
  }
}
