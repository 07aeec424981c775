package io.kerbside.api.auth;

import io.kerbside.core.CouncilRef;

/**
 * Who called the API: the council and role, and either the API key (its id and label) or the crew
 * whose signed link was presented ({@link CrewLinks}).
 *
 * @param keyId the key's id; 0 for a crew
 * @param label the key's label; null for a crew or a key without one
 * @param crew the crew's name when the caller came with a crew link; null for a key
 */
public record ApiPrincipal(
    CouncilRef council, ApiRole role, long keyId, String label, String crew) {
  /** A caller with an API key. */
  public ApiPrincipal(CouncilRef council, ApiRole role, long keyId, String label) {
    this(council, role, keyId, label, null);
  }

  /** A crew with a valid link: it may read and act on alerts of its council, as an operator. */
  public static ApiPrincipal crew(CrewPass pass) {
    return new ApiPrincipal(pass.council(), ApiRole.OPERATOR, 0, null, pass.crew());
  }

  /** True when the caller came with a crew link rather than a key. */
  public boolean isCrew() {
    return crew != null;
  }

  /**
   * How the caller is recorded in an alert's history: {@code crew:<name>} for a crew, else {@code
   * key:<id>:<label>}, or {@code key:<id>} for a key without a label. The id tells apart keys that
   * share a label, and it comes first so that no label can pass for another key; control characters
   * are shown as {@code ?}.
   */
  public String actor() {
    if (crew != null) {
      return clean(new StringBuilder("crew:"), crew);
    }
    if (label == null || label.isBlank()) {
      return "key:" + keyId;
    }
    return clean(new StringBuilder("key:").append(keyId).append(':'), label);
  }

  private static String clean(StringBuilder b, String text) {
    text.strip()
        .codePoints()
        .forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return b.toString();
  }
}
