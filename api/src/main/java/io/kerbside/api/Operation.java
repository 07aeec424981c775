package io.kerbside.api;

import io.kerbside.api.auth.ApiRole;
import java.util.Locale;

/**
 * One operation the router serves, as {@code openapi.yaml} names it.
 *
 * @param method {@code GET} or {@code POST}
 * @param path the OpenAPI path template, {@code /api/v1/alerts/{id}}
 * @param role the least role that may call it
 * @param module the {@link ApiRoutes#name()} that added it
 */
public record Operation(String method, String path, ApiRole role, String module) {
  /** {@code GET /api/v1/alerts/{id}}. */
  public String key() {
    return method.toUpperCase(Locale.ROOT) + " " + path;
  }

  /** The OpenAPI template of a Vert.x route path: {@code :id} becomes {@code {id}}. */
  static String template(String routePath) {
    return routePath.replaceAll(":([A-Za-z_]+)", "{$1}");
  }
}
