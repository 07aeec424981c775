package io.kerbside.core;

import java.util.List;

/**
 * The columns of the asset list Kerbside imports and the simulator exports (CSV header order;
 * GeoJSON carries the same fields as feature properties, with the position in the geometry).
 */
public final class AssetListColumns {
  /** What every asset list carries: device, site and the attributes of each kind. */
  public static final List<String> BASE =
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
          "shade");

  private AssetListColumns() {}
}
