package io.kerbside.registry;

import java.util.Locale;
import java.util.Optional;

/** Where an asset is in its life. */
public enum AssetStatus {
  PLANNED,
  ACTIVE,
  FAULTY,
  REMOVED;

  /** The lower-case name used in files, the database and the REST API. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<AssetStatus> fromCode(String code) {
    for (AssetStatus s : values()) {
      if (s.code().equals(code)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
