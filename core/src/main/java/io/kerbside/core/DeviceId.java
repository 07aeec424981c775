package io.kerbside.core;

/**
 * A device's identifier within its council: 1 to 64 characters of {@code [A-Za-z0-9_.-]}.
 *
 * @param value the identifier as it appears in topics
 */
public record DeviceId(String value) {
  public DeviceId {
    if (!isValid(value)) {
      throw new IllegalArgumentException("invalid device id");
    }
  }

  /** True for 1 to 64 characters of {@code [A-Za-z0-9_.-]}; checked for every message received. */
  public static boolean isValid(String value) {
    if (value == null || value.isEmpty() || value.length() > 64) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return value;
  }
}
