package io.kerbside.worklists;

import java.util.Locale;

/**
 * Where a piece of work is: the asset, its street and ward, and its position (WGS 84).
 *
 * @param assetId the asset's id in the REST API ({@code /api/v1/assets/{id}})
 * @param street the street; empty when the registry has none
 * @param ward the ward; empty when unknown
 */
public record Place(
    long assetId,
    String assetRef,
    String name,
    String street,
    String ward,
    double latitude,
    double longitude) {
  /** A {@code geo:} URI (RFC 5870) that a phone opens in its maps app. */
  public String geoUri() {
    return String.format(Locale.ROOT, "geo:%.6f,%.6f", latitude, longitude);
  }

  /** A web map of the position, for phones without a {@code geo:} handler. */
  public String mapUrl() {
    return String.format(
        Locale.ROOT,
        "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=19/%.6f/%.6f",
        latitude,
        longitude,
        latitude,
        longitude);
  }
}
