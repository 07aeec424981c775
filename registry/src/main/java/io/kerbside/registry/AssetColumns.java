package io.kerbside.registry;

import java.util.List;

/**
 * The fields of an asset list, in CSV column order. The first twenty are the simulator's town
 * export ({@code TownExport.COLUMNS}); the last four are what councils' registers add. GeoJSON
 * carries the same fields as feature properties, with the position in the geometry.
 */
public final class AssetColumns {
  public static final List<String> ALL =
      List.of(
          "device_id",
          "kind",
          "asset_ref",
          "latitude",
          "longitude",
          "ward",
          "street",
          "street_type",
          "expected_interval_s",
          "bin_depth_mm",
          "bin_capacity_l",
          "collection_days",
          "collection_time",
          "lamp_type",
          "rated_power_w",
          "dimming_profile",
          "mounting_height_m",
          "surface",
          "section_length_m",
          "shade",
          "name",
          "status",
          "installed_on",
          "pavement_use");

  /** Fields every record must have. */
  public static final List<String> REQUIRED = List.of("asset_ref", "kind", "latitude", "longitude");

  private AssetColumns() {}
}
