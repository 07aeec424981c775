package io.kerbside.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * A request's JSON object body, with its text fields checked as {@link Params} checks parameters: a
 * field of the wrong type, too long, or with a control character is a {@link BadRequestException}.
 * An empty body is an empty object.
 */
public final class JsonBody {
  private final JsonObject json;

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  /** The body of {@code ctx}; throws {@link BadRequestException} when it is not a JSON object. */
  public static JsonBody of(RoutingContext ctx) {
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      return new JsonBody(new JsonObject());
    }
    try {
      Object value = Json.decodeValue(raw);
      if (value instanceof JsonObject o) {
        return new JsonBody(o);
      }
    } catch (DecodeException | IllegalStateException e) {
      // reported below
    }
    throw new BadRequestException("the body must be a JSON object");
  }

  /** True when the body names {@code field}, even as null. */
  public boolean has(String field) {
    return json.containsKey(field);
  }

  /**
   * A text field; empty when absent or null.
   *
   * @param multiline whether line breaks and tabs are allowed (a note: yes; a name: no)
   */
  public Optional<String> text(String field, int maxLength, boolean multiline) {
    Object v = json.getValue(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new BadRequestException(field + " must be a string");
    }
    String problem = Params.textProblem(field, s, maxLength, multiline);
    if (problem != null) {
      throw new BadRequestException(problem);
    }
    return Optional.of(s);
  }
}
