package io.kerbside.worklists.crew;

import io.kerbside.worklists.WorklistsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The crew page under {@link #PATH}: a static, phone-first page (HTML, CSS, plain JavaScript) that
 * lists the day's work and acts on it through the REST API, with Leaflet (npm's package, as a
 * WebJar in this jar) for the map - nothing is fetched from elsewhere but the map tiles, when
 * {@code KERBSIDE_CREW_TILE_URL} names them. Every file is read from the jar once, when mounted.
 * The page itself needs no credentials: it holds no data until its caller signs in with an operator
 * key or a crew link, which it sends to {@code /api/}.
 */
public final class CrewPage {
  /** Where the page is served; {@code /crew} redirects here. */
  public static final String PATH = "/crew/";

  private static final String OWN = "/io/kerbside/worklists/crew/";
  private static final String LEAFLET = "/META-INF/resources/webjars/leaflet/1.9.4/dist/";

  private CrewPage() {}

  /** Adds the page's routes to {@code router}. */
  public static void mount(Router router, WorklistsConfig config) {
    Map<String, Asset> files = new LinkedHashMap<>();
    files.put("", own("index.html", "text/html; charset=utf-8"));
    files.put("index.html", own("index.html", "text/html; charset=utf-8"));
    files.put("crew.css", own("crew.css", "text/css; charset=utf-8"));
    files.put("crew.js", own("crew.js", "text/javascript; charset=utf-8"));
    files.put("vendor/leaflet/leaflet.js", leaflet("leaflet.js", "text/javascript; charset=utf-8"));
    files.put("vendor/leaflet/leaflet.css", leaflet("leaflet.css", "text/css; charset=utf-8"));
    for (String image :
        new String[] {
          "layers.png",
          "layers-2x.png",
          "marker-icon.png",
          "marker-icon-2x.png",
          "marker-shadow.png"
        }) {
      files.put("vendor/leaflet/images/" + image, leaflet("images/" + image, "image/png"));
    }
    Buffer settings =
        new JsonObject()
            .put("tile_url", config.crewTileUrl())
            .put("tile_attribution", config.crewTileAttribution())
            .toBuffer();
    String csp = contentSecurityPolicy(config);
    // Vert.x matches "/crew" for "/crew/" too: only the path without the slash is redirected
    router
        .get("/crew")
        .handler(
            ctx -> {
              if (ctx.request().path().endsWith("/")) {
                ctx.next();
              } else {
                ctx.redirect(PATH);
              }
            });
    router
        .get(PATH + "config.json")
        .handler(ctx -> send(ctx, new Asset(settings, "application/json"), csp));
    router
        .get(PATH + "*")
        .handler(
            ctx -> {
              String rest = ctx.normalizedPath().substring(PATH.length());
              Asset a = files.get(rest);
              if (a == null) {
                ctx.response().setStatusCode(404).end();
              } else {
                send(ctx, a, csp);
              }
            });
  }

  /**
   * Scripts, styles and data from this server only; images also from the tile server when there is
   * one (any host of its scheme, since tile URLs often spread over subdomains).
   */
  static String contentSecurityPolicy(WorklistsConfig config) {
    String tiles = "";
    if (!config.crewTileUrl().isEmpty()) {
      tiles = config.crewTileUrl().startsWith("https://") ? " https:" : " http:";
    }
    return "default-src 'self'; img-src 'self' data:"
        + tiles
        + "; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self';"
        + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  }

  private record Asset(Buffer body, String type) {}

  private static void send(RoutingContext ctx, Asset a, String csp) {
    ctx.response()
        .putHeader("Content-Type", a.type())
        .putHeader("Content-Security-Policy", csp)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-cache")
        .end(a.body());
  }

  private static Asset own(String name, String type) {
    return new Asset(read(OWN + name), type);
  }

  private static Asset leaflet(String name, String type) {
    return new Asset(read(LEAFLET + name), type);
  }

  private static Buffer read(String resource) {
    try (InputStream in = CrewPage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
