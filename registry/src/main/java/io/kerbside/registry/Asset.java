package io.kerbside.registry;

import io.kerbside.core.DeviceKind;
import java.time.LocalDate;

/**
 * A street asset as a council describes it. Optional text fields are null when unknown.
 *
 * @param ref the council's own identifier, unique within the council (e.g. {@code CAS/BIN/00042})
 * @param latitude WGS 84 degrees
 * @param longitude WGS 84 degrees
 * @param streetType e.g. {@code high-street}, {@code residential}
 * @param attributes the fields of the asset's kind; its kind is {@link #kind()}
 */
public record Asset(
    String ref,
    DeviceKind kind,
    String name,
    double latitude,
    double longitude,
    String street,
    String streetType,
    String ward,
    AssetStatus status,
    LocalDate installedOn,
    AssetAttributes attributes) {
  public Asset {
    if (attributes.kind() != kind) {
      throw new IllegalArgumentException("attributes of a " + attributes.kind() + " on a " + kind);
    }
  }
}
