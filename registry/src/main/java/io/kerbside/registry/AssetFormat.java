package io.kerbside.registry;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The file formats an asset list is read from and written to. */
public enum AssetFormat {
  CSV,
  GEOJSON;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<AssetFormat> fromCode(String code) {
    for (AssetFormat f : values()) {
      if (f.code().equals(code)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The format a file's extension names: {@code .csv}, {@code .geojson} or {@code .json}. */
  public static Optional<AssetFormat> ofFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return Optional.of(CSV);
    }
    if (name.endsWith(".geojson") || name.endsWith(".json")) {
      return Optional.of(GEOJSON);
    }
    return Optional.empty();
  }
}
