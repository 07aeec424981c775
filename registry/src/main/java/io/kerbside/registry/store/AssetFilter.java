package io.kerbside.registry.store;

import io.kerbside.core.DeviceKind;
import io.kerbside.registry.AssetStatus;

/** What to list; null fields do not filter. */
public record AssetFilter(DeviceKind kind, String ward, AssetStatus status, BoundingBox bbox) {
  public static AssetFilter none() {
    return new AssetFilter(null, null, null, null);
  }
}
