package io.kerbside.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Which parts of the API this process's database login may serve, found once at start-up from the
 * login's privileges. A part whose privileges are missing is not served (its operations answer 503
 * saying which role serves them) instead of failing on every call with a permission error.
 */
public final class ApiAccess {
  /** What authenticating a caller reads. */
  static final List<ApiRoutes.TablePrivilege> AUTHENTICATION =
      List.of(
          new ApiRoutes.TablePrivilege("api_key", "SELECT"),
          new ApiRoutes.TablePrivilege("council", "SELECT"));

  private final String login;
  private final String rolePrefix;
  private final Map<String, List<ApiRoutes.TablePrivilege>> missing;

  private ApiAccess(
      String login, String rolePrefix, Map<String, List<ApiRoutes.TablePrivilege>> missing) {
    this.login = login;
    this.rolePrefix = rolePrefix;
    this.missing = missing;
  }

  /** Every part served, whatever the login; for tests that do not check privileges. */
  public static ApiAccess all(List<ApiRoutes> parts, String rolePrefix) {
    Map<String, List<ApiRoutes.TablePrivilege>> none = new LinkedHashMap<>();
    parts.forEach(p -> none.put(p.name(), List.of()));
    return new ApiAccess("", rolePrefix, none);
  }

  /**
   * Checks each part's privileges (and authentication's) for the login of {@code dataSource}.
   *
   * @param rolePrefix the installation's role prefix ({@code KERBSIDE_DB_ROLE_PREFIX})
   */
  public static ApiAccess check(DataSource dataSource, List<ApiRoutes> parts, String rolePrefix)
      throws SQLException {
    Map<String, List<ApiRoutes.TablePrivilege>> missing = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection()) {
      String login;
      try (PreparedStatement ps = c.prepareStatement("SELECT current_user");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        login = rs.getString(1);
      }
      for (ApiRoutes part : parts) {
        List<ApiRoutes.TablePrivilege> lacking = new ArrayList<>();
        List<ApiRoutes.TablePrivilege> needed = new ArrayList<>(AUTHENTICATION);
        needed.addAll(part.privileges());
        for (ApiRoutes.TablePrivilege p : needed) {
          if (!has(c, p)) {
            lacking.add(p);
          }
        }
        missing.put(part.name(), List.copyOf(lacking));
      }
      return new ApiAccess(login, rolePrefix, missing);
    }
  }

  private static boolean has(Connection c, ApiRoutes.TablePrivilege p) throws SQLException {
    // any column: a role granted SELECT on some columns only (api_key for analytics) reads those
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT to_regclass(?) IS NOT NULL AND has_any_column_privilege(to_regclass(?), ?)")) {
      ps.setString(1, p.table());
      ps.setString(2, p.table());
      ps.setString(3, p.privilege());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** True when {@code part} is served by this process. */
  public boolean serves(String part) {
    List<ApiRoutes.TablePrivilege> lacking = missing.get(part);
    return lacking != null && lacking.isEmpty();
  }

  /** Why {@code part} is not served, naming the role that serves it; empty when it is served. */
  public Optional<String> whyNotServed(ApiRoutes part) {
    if (serves(part.name())) {
      return Optional.empty();
    }
    List<ApiRoutes.TablePrivilege> lacking = missing.getOrDefault(part.name(), List.of());
    return Optional.of(
        "this process's database login "
            + (login.isEmpty() ? "" : login + " ")
            + "may not serve the "
            + part.name()
            + " API (it lacks "
            + String.join(", ", lacking.stream().map(Object::toString).toList())
            + "); a Kerbside process whose login is a member of "
            + roleServing(part)
            + " serves it");
  }

  /** The group role whose members' logins serve {@code part}: {@code kerbside_reader}. */
  public String roleServing(ApiRoutes part) {
    return rolePrefix + "_" + part.servingJob();
  }

  /** For {@code /ready}: each part, {@code served} or {@code not served: <why>}. */
  public Map<String, String> report(List<ApiRoutes> parts) {
    Map<String, String> r = new LinkedHashMap<>();
    for (ApiRoutes p : parts) {
      r.put(p.name(), whyNotServed(p).map(w -> "not served: " + w).orElse("served"));
    }
    return r;
  }
}
