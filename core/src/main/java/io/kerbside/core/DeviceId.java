package io.kerbside.core;

import java.util.regex.Pattern;

/**
 * A device's identifier within its council: 1 to 64 characters of {@code [A-Za-z0-9_.-]}.
 *
 * @param value the identifier as it appears in topics
 */
public record DeviceId(String value) {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public DeviceId {
    if (!isValid(value)) {
      throw new IllegalArgumentException("invalid device id");
    }
  }

  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
