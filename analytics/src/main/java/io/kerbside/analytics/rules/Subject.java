package io.kerbside.analytics.rules;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import java.time.Duration;
import java.util.Optional;

/**
 * The device a rule looks at and, when it is attached to one, the asset it watches: what a rule
 * needs beyond the readings (where it is, what it is rated for).
 *
 * @param expectedInterval how often the device should report
 * @param asset the asset the device is attached to; empty for an unattached device
 */
public record Subject(
    CouncilRef council,
    long devicePk,
    String deviceId,
    DeviceKind kind,
    Duration expectedInterval,
    Optional<AssetInfo> asset) {

  /**
   * The registry's facts about an asset that rules use. Optional attributes are null when the
   * registry does not know them.
   */
  public record AssetInfo(
      long assetPk,
      String assetRef,
      String name,
      double latitude,
      double longitude,
      String street,
      String ward,
      Integer binDepthMm,
      Double ratedPowerW) {}

  /**
   * The key of "one active alert per subject and rule": {@code asset/<pk>} or {@code device/<pk>}.
   */
  public String key(Scope scope) {
    return scope == Scope.ASSET && asset.isPresent()
        ? "asset/" + asset.get().assetPk()
        : "device/" + devicePk;
  }

  public Optional<String> ward() {
    return asset.map(AssetInfo::ward);
  }
}
