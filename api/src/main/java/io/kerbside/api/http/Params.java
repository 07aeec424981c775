package io.kerbside.api.http;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * A request's query and path parameters, parsed once with the first problem kept: a handler reads
 * what it needs, then {@link #reject()} answers 400 naming the first wrong parameter. Text never
 * carries a control character (a NUL would make PostgreSQL fail) and is at most {@link
 * #MAX_TEXT_LENGTH} characters; instants lie between {@link #EARLIEST} and {@link #LATEST}.
 */
public final class Params {
  public static final int MAX_TEXT_LENGTH = 200;

  /**
   * The earliest instant a parameter may name; PostgreSQL's range is wider, Kerbside's data not.
   */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest instant a parameter may name. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private final RoutingContext ctx;
  private String problem;

  public Params(RoutingContext ctx) {
    this.ctx = ctx;
  }

  /** Keeps {@code p} unless an earlier problem was found. */
  public void problem(String p) {
    if (problem == null) {
      problem = p;
    }
  }

  public boolean failed() {
    return problem != null;
  }

  /** Answers 400 with the first problem and returns true, or returns false when there was none. */
  public boolean reject() {
    if (problem != null) {
      Replies.error(ctx, 400, problem);
      return true;
    }
    return false;
  }

  /** A query parameter's text, stripped; empty when absent or blank. */
  public Optional<String> text(String name) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    String problemWithIt = textProblem(name, v, MAX_TEXT_LENGTH, false);
    if (problemWithIt != null) {
      problem(problemWithIt);
      return Optional.empty();
    }
    return Optional.of(v.strip());
  }

  /**
   * A parameter that takes one of a fixed set of codes.
   *
   * @param parse the code's value, empty for an unknown code
   * @param allowed the codes, for the message: {@code "bin, streetlight or pavement"}
   */
  public <T> Optional<T> oneOf(String name, Function<String, Optional<T>> parse, String allowed) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Optional<T> parsed = parse.apply(v.get());
    if (parsed.isEmpty()) {
      problem(name + " must be " + allowed);
    }
    return parsed;
  }

  /** A whole number between {@code min} and {@code max}; {@code dflt} when absent. */
  public int integer(String name, int dflt, int min, int max) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(name + " must be a whole number between " + min + " and " + max);
    return dflt;
  }

  /** {@code limit} (1 to {@code maxLimit}, default {@code defaultLimit}) and {@code offset}. */
  public PageRequest page(int maxLimit, int defaultLimit) {
    return new PageRequest(
        integer("limit", defaultLimit, 1, maxLimit), integer("offset", 0, 0, Integer.MAX_VALUE));
  }

  /** The path parameter {@code id}, a positive number; {@code what} names it in the message. */
  public long id(String what) {
    String v = ctx.pathParam("id");
    try {
      long id = Long.parseLong(v);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(what + " id must be a positive whole number");
    return 0;
  }

  /** An instant such as {@code 2026-01-31T00:00:00Z}; empty when absent. */
  public Optional<Instant> instant(String name) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      Instant t = Instant.parse(v.get());
      if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
        problem(name + " must lie between " + EARLIEST + " and " + LATEST);
        return Optional.empty();
      }
      return Optional.of(t);
    } catch (DateTimeParseException e) {
      problem(name + " must be an instant like 2026-01-31T00:00:00Z");
      return Optional.empty();
    }
  }

  /** An instant, or {@code dflt} when absent or wrong (then {@link #failed()} tells). */
  public Instant instant(String name, Instant dflt) {
    return instant(name).orElse(dflt);
  }

  /**
   * Why {@code value} is not acceptable text for {@code name}, or null when it is: too long, or
   * holding a control character ({@code multiline} allows line feed, carriage return and tab).
   */
  static String textProblem(String name, String value, int maxLength, boolean multiline) {
    if (value.length() > maxLength) {
      return name + " is at most " + maxLength + " characters";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = multiline && (c == '\n' || c == '\r' || c == '\t');
      if (Character.isISOControl(c) && !allowed) {
        return name
            + " must not hold control characters (found U+"
            + String.format("%04X", (int) c)
            + ")";
      }
    }
    return null;
  }
}
