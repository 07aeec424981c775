package io.kerbside.registry.api;

import io.kerbside.api.ApiRoutes;
import io.kerbside.api.Endpoints;
import io.kerbside.api.auth.ApiAuthentication;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.api.http.PageRequest;
import io.kerbside.api.http.Params;
import io.kerbside.api.http.Replies;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import io.kerbside.registry.Asset;
import io.kerbside.registry.AssetAttributes;
import io.kerbside.registry.AssetStatus;
import io.kerbside.registry.store.AssetFilter;
import io.kerbside.registry.store.AssetRepository;
import io.kerbside.registry.store.BoundingBox;
import io.kerbside.registry.store.DeviceInfo;
import io.kerbside.registry.store.Page;
import io.kerbside.registry.store.ReadingPoint;
import io.kerbside.registry.store.ReadingRepository;
import io.kerbside.registry.store.StoredAsset;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The registry's operations: {@code GET /api/v1/assets}, {@code /api/v1/assets/{id}}, {@code
 * /api/v1/assets/{id}/readings} and {@code /api/v1/devices}, for any role, scoped to the caller's
 * council. An asset's readings end now by {@code clock} unless asked otherwise. JDBC runs on worker
 * threads, never on the event loop.
 */
public final class RegistryRoutes implements ApiRoutes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int MAX_READINGS_LIMIT = 10_000;
  static final int DEFAULT_READINGS_LIMIT = 1000;
  private static final Pattern BUCKET = Pattern.compile("([1-9][0-9]{0,3})([mhd])");

  private final Vertx vertx;
  private final AssetRepository assets;
  private final ReadingRepository readings;
  private final Clock clock;

  public RegistryRoutes(Vertx vertx, DataSource dataSource, Clock clock) {
    this.vertx = vertx;
    this.assets = new AssetRepository(dataSource);
    this.readings = new ReadingRepository(dataSource);
    this.clock = clock;
  }

  @Override
  public String name() {
    return "registry";
  }

  @Override
  public String servingJob() {
    return "reader";
  }

  @Override
  public List<TablePrivilege> privileges() {
    return List.of(
        new TablePrivilege("asset", "SELECT"),
        new TablePrivilege("device", "SELECT"),
        new TablePrivilege("device_attachment", "SELECT"),
        new TablePrivilege("reading", "SELECT"));
  }

  @Override
  public void addTo(Endpoints endpoints) {
    endpoints.get("/api/v1/assets", ApiRole.VIEWER, listing(assets::list, RegistryRoutes::asset));
    endpoints.get("/api/v1/assets/:id", ApiRole.VIEWER, this::oneAsset);
    endpoints.get("/api/v1/assets/:id/readings", ApiRole.VIEWER, this::assetReadings);
    endpoints.get(
        "/api/v1/devices", ApiRole.VIEWER, listing(assets::devices, RegistryRoutes::device));
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
      CouncilRef council = ApiAuthentication.principal(ctx).council();
      Params p = new Params(ctx);
      AssetFilter filter = filter(p);
      PageRequest page = p.page(MAX_LIMIT, DEFAULT_LIMIT);
      if (p.reject()) {
        return;
      }
      Replies.respond(
          vertx,
          ctx,
          () -> lister.list(council, filter, page.limit(), page.offset()),
          found -> Replies.page(ctx, found.items(), found.total(), page, item));
    };
  }

  private void oneAsset(RoutingContext ctx) {
    CouncilRef council = ApiAuthentication.principal(ctx).council();
    Params p = new Params(ctx);
    long id = p.id("the asset");
    if (p.reject()) {
      return;
    }
    Replies.respond(
        vertx,
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
            Replies.error(ctx, 404, "no asset " + id);
          } else {
            ctx.json(body);
          }
        });
  }

  private void assetReadings(RoutingContext ctx) {
    CouncilRef council = ApiAuthentication.principal(ctx).council();
    Params p = new Params(ctx);
    long id = p.id("the asset");
    Instant to = p.instant("to", clock.instant());
    Instant from = p.instant("from", to.minus(Duration.ofDays(1)));
    Duration bucket = bucket(p);
    PageRequest page = p.page(MAX_READINGS_LIMIT, DEFAULT_READINGS_LIMIT);
    int limit = page.limit();
    int offset = page.offset();
    if (!p.failed() && !from.isBefore(to)) {
      p.problem("from must be before to");
    }
    if (p.reject()) {
      return;
    }
    Replies.respond(
        vertx,
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
            Replies.error(ctx, 404, "no asset " + id);
          } else {
            ctx.json(body);
          }
        });
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

  private static Duration bucket(Params p) {
    Optional<String> v = p.text("bucket");
    if (v.isEmpty()) {
      return null;
    }
    Matcher m = BUCKET.matcher(v.get());
    if (!m.matches()) {
      p.problem("bucket must be a number and m, h or d, such as 15m, 1h or 1d");
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static AssetFilter filter(Params p) {
    DeviceKind kind =
        p.oneOf("kind", DeviceKind::fromCode, "bin, streetlight or pavement").orElse(null);
    AssetStatus status =
        p.oneOf("status", AssetStatus::fromCode, "planned, active, faulty or removed").orElse(null);
    BoundingBox bbox = null;
    Optional<String> b = p.text("bbox");
    if (b.isPresent()) {
      try {
        bbox = BoundingBox.parse(b.get());
      } catch (IllegalArgumentException e) {
        p.problem(e.getMessage());
      }
    }
    return new AssetFilter(kind, p.text("ward").orElse(null), status, bbox);
  }
}
