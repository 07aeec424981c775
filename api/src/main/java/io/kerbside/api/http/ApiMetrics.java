package io.kerbside.api.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Every meter of the REST API: {@code kerbside.api.requests}, a timer of requests from arrival to
 * the end of the answer, tagged with the route template ({@code /api/v1/assets/{id}}, never the
 * path, so ids do not multiply series), the method and the status class ({@code 2xx}...). Its count
 * is the number of requests.
 */
public final class ApiMetrics {
  /** The route of paths under the API prefix that match no endpoint. */
  public static final String UNMATCHED = "unmatched";

  private static final String NAME = "kerbside.api.requests";
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  private final MeterRegistry registry;

  public ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * A handler to put first on the route {@code template}: it times the request and passes it on.
   */
  public Handler<RoutingContext> timing(String template) {
    return ctx -> {
      long start = System.nanoTime();
      ctx.addEndHandler(
          done ->
              timer(template, ctx.request().method().name(), ctx.response().getStatusCode())
                  .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
      ctx.next();
    };
  }

  Timer timer(String template, String method, int status) {
    return Timer.builder(NAME)
        .description("REST API requests by route template, method and status class, and their time")
        .tag("route", template)
        .tag("method", METHODS.contains(method) ? method : "OTHER")
        .tag("status", statusClass(status))
        .serviceLevelObjectives(
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5))
        .register(registry);
  }

  static String statusClass(int status) {
    return status >= 100 && status < 600
        ? String.format(Locale.ROOT, "%dxx", status / 100)
        : "other";
  }
}
