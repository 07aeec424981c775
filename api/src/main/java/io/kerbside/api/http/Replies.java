package io.kerbside.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every API answer is written: JSON bodies, errors as {@code {"error": "..."}}, pages with
 * {@code items}, {@code total}, {@code limit}, {@code offset} and {@code next_offset} while more
 * follow. An unexpected failure is logged once here and answered 500 without its details.
 */
public final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  /** Answers {@code status} with {@code {"error": message}}. */
  public static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status);
    ctx.json(new JsonObject().put("error", message));
  }

  /**
   * Answers a failure: a {@link BadRequestException} is the caller's mistake (400 with its
   * message); anything else is logged with its cause and answered 500.
   */
  public static void failed(RoutingContext ctx, Throwable e) {
    if (e instanceof BadRequestException bad) {
      error(ctx, 400, bad.getMessage());
      return;
    }
    LOG.error("api - {} {} failed", ctx.request().method(), ctx.request().path(), e);
    error(ctx, 500, "internal error");
  }

  /**
   * Runs {@code query} on a worker thread (it may use JDBC) and hands its result to {@code answer}
   * on the event loop; a failure is answered by {@link #failed}.
   */
  public static <T> void respond(
      Vertx vertx, RoutingContext ctx, Callable<T> query, Consumer<T> answer) {
    vertx
        .executeBlocking(query, false)
        .onSuccess(
            result -> {
              try {
                answer.accept(result);
              } catch (RuntimeException e) {
                failed(ctx, e);
              }
            })
        .onFailure(e -> failed(ctx, e));
  }

  /** Answers one page of a list. */
  public static <T> void page(
      RoutingContext ctx,
      List<T> items,
      long total,
      PageRequest page,
      Function<T, JsonObject> item) {
    JsonArray array = new JsonArray();
    items.forEach(i -> array.add(item.apply(i)));
    JsonObject body =
        new JsonObject()
            .put("items", array)
            .put("total", total)
            .put("limit", page.limit())
            .put("offset", page.offset());
    if (page.offset() + items.size() < total) {
      body.put("next_offset", page.offset() + items.size());
    }
    ctx.json(body);
  }
}
