package io.kerbside.api.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do: a viewer reads, an operator also acts on alerts (acknowledge, assign,
 * resolve, note), an admin may do everything.
 */
public enum ApiRole {
  VIEWER,
  OPERATOR,
  ADMIN;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this role includes everything {@code needed} may do. */
  public boolean allows(ApiRole needed) {
    return ordinal() >= needed.ordinal();
  }

  public static Optional<ApiRole> fromCode(String code) {
    for (ApiRole r : values()) {
      if (r.code().equals(code)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
