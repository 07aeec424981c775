package io.kerbside.registry;

import io.kerbside.core.AssetListColumns;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fields of an asset list, in CSV column order. The first twenty are {@link
 * AssetListColumns#BASE} (also the simulator's town export); the last four are what councils'
 * registers add. GeoJSON carries the same fields as feature properties, with the position in the
 * geometry.
 */
public final class AssetColumns {
  public static final List<String> ALL =
      Stream.concat(
              AssetListColumns.BASE.stream(),
              Stream.of("name", "status", "installed_on", "pavement_use"))
          .toList();

  /** Fields every record must have. */
  public static final List<String> REQUIRED = List.of("asset_ref", "kind", "latitude", "longitude");

  private AssetColumns() {}
}
