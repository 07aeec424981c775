package io.kerbside.sim.town;

import io.kerbside.core.DeviceId;
import io.kerbside.core.DeviceKind;
import java.util.Objects;

/**
 * One street asset of the simulated town and the sensor device on it, as an asset register would
 * list it.
 *
 * @param index position in {@link Town#assets()}, 0-based
 * @param deviceId the device's id, e.g. {@code bin-00042}
 * @param kind bin, streetlight or pavement
 * @param assetRef the council's reference for the asset, e.g. {@code CAS/BIN/00042}
 * @param location where it stands
 * @param ward the electoral ward it lies in
 * @param street the street it stands on
 * @param streetType the character of that street
 * @param details the attributes of its kind: {@link BinDetails}, {@link StreetlightDetails} or
 *     {@link PavementDetails}
 */
public record Asset(
    int index,
    DeviceId deviceId,
    DeviceKind kind,
    String assetRef,
    GeoPoint location,
    String ward,
    String street,
    StreetType streetType,
    AssetDetails details) {
  public Asset {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(streetType, "streetType");
    boolean matches =
        switch (kind) {
          case BIN -> details instanceof BinDetails;
          case STREETLIGHT -> details instanceof StreetlightDetails;
          case PAVEMENT -> details instanceof PavementDetails;
        };
    if (!matches) {
      throw new IllegalArgumentException(
          "asset " + deviceId + " of kind " + kind.code() + " has details " + details);
    }
  }

  /** The details of a bin; throws for other kinds. */
  public BinDetails bin() {
    return (BinDetails) details;
  }

  /** The details of a streetlight; throws for other kinds. */
  public StreetlightDetails streetlight() {
    return (StreetlightDetails) details;
  }

  /** The details of a pavement section; throws for other kinds. */
  public PavementDetails pavement() {
    return (PavementDetails) details;
  }
}
