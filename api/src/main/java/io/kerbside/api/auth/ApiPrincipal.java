package io.kerbside.api.auth;

import io.kerbside.core.CouncilRef;

/** Who called the API: the council and role of the key, and the key's id and label. */
public record ApiPrincipal(CouncilRef council, ApiRole role, long keyId, String label) {
  /**
   * How the caller is recorded in an alert's history: {@code key:<id>:<label>}, or {@code key:<id>}
   * for a key without a label. The id tells apart keys that share a label, and it comes first so
   * that no label can pass for another key; control characters in the label are shown as {@code ?}.
   */
  public String actor() {
    if (label == null || label.isBlank()) {
      return "key:" + keyId;
    }
    StringBuilder b = new StringBuilder("key:").append(keyId).append(':');
    label
        .strip()
        .codePoints()
        .forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return b.toString();
  }
}
