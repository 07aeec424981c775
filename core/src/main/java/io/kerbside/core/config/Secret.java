package io.kerbside.core.config;

/**
 * A credential read from the environment. Its {@link #toString()} is masked so that it cannot reach
 * a log line by accident; call {@link #reveal()} only where the credential is handed to a client.
 */
public final class Secret {
  private static final Secret EMPTY = new Secret("");
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return value == null || value.isEmpty() ? EMPTY : new Secret(value);
  }

  public static Secret empty() {
    return EMPTY;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return isEmpty() ? "<empty>" : "<masked>";
  }
}
