package io.kerbside.api.auth;

import io.kerbside.api.http.Replies;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Finds the caller of an API request by its {@code Authorization: Bearer <key>} header and puts the
 * key's {@link ApiPrincipal} on the routing context, or answers 401. The key is looked up on a
 * worker thread (JDBC); a key that is unknown, revoked or malformed is refused the same way. When
 * crew links are enabled, {@code Authorization: Crew <token>} is accepted too ({@link CrewLinks}),
 * checked without the database; a token that is expired, tampered with or malformed is refused with
 * 401 like a bad key.
 */
public final class ApiAuthentication implements Handler<RoutingContext> {
  private static final String PRINCIPAL = "kerbside.principal";

  /** Longer than any key Kerbside makes ({@code kbs_} and 43 characters): refused unread. */
  private static final int MAX_KEY_LENGTH = 200;

  private final Vertx vertx;
  private final ApiKeyRepository keys;
  private final Optional<CrewLinks> crewLinks;

  public ApiAuthentication(Vertx vertx, ApiKeyRepository keys) {
    this(vertx, keys, Optional.empty());
  }

  /**
   * @param crewLinks the verifier of crew links; empty when they are not accepted
   */
  public ApiAuthentication(Vertx vertx, ApiKeyRepository keys, Optional<CrewLinks> crewLinks) {
    this.vertx = vertx;
    this.keys = keys;
    this.crewLinks = crewLinks;
  }

  /** The authenticated caller; only for handlers that run after this one. */
  public static ApiPrincipal principal(RoutingContext ctx) {
    ApiPrincipal p = ctx.get(PRINCIPAL);
    if (p == null) {
      throw new IllegalStateException("no caller: the route does not authenticate");
    }
    return p;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Crew ", 0, 5)) {
      Optional<CrewPass> pass =
          crewLinks.flatMap(links -> links.verify(header.substring(5).strip()));
      if (pass.isEmpty()) {
        unauthorized(ctx);
      } else {
        ctx.put(PRINCIPAL, ApiPrincipal.crew(pass.get()));
        ctx.next();
      }
      return;
    }
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      unauthorized(ctx);
      return;
    }
    String key = header.substring(7).strip();
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      unauthorized(ctx);
      return;
    }
    vertx
        .executeBlocking(() -> keys.principal(key), false)
        .onSuccess(
            principal -> {
              if (principal.isEmpty()) {
                unauthorized(ctx);
              } else {
                ctx.put(PRINCIPAL, principal.get());
                ctx.next();
              }
            })
        .onFailure(e -> Replies.failed(ctx, e));
  }

  /** A handler that lets only callers with at least {@code needed} through; 403 otherwise. */
  public static Handler<RoutingContext> requires(ApiRole needed) {
    return ctx -> {
      ApiPrincipal who = principal(ctx);
      if (who.role().allows(needed)) {
        ctx.next();
      } else {
        Replies.error(
            ctx,
            403,
            "this needs a key with the "
                + needed.code()
                + " role or above; "
                + (who.isCrew()
                    ? "a crew link is not enough"
                    : "this key is a " + who.role().code() + " key"));
      }
    };
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"kerbside\"");
    Replies.error(ctx, 401, "a council API key is needed: Authorization: Bearer <key>");
  }
}
