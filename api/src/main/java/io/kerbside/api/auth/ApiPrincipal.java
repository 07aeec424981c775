package io.kerbside.api.auth;

import io.kerbside.core.CouncilRef;

/** Who called the API: the council and role of the key, and the key's id and label. */
public record ApiPrincipal(CouncilRef council, ApiRole role, long keyId, String label) {
  /** How the caller is recorded in an alert's history: {@code key:<label>} or {@code key:<id>}. */
  public String actor() {
    return "key:" + (label == null || label.isBlank() ? Long.toString(keyId) : label);
  }
}
