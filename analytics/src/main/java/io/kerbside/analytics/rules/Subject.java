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
      Double ratedPowerW,
      Optional<CollectionRound> collection) {

    public AssetInfo(
        long assetPk,
        String assetRef,
        String name,
        double latitude,
        double longitude,
        String street,
        String ward,
        Integer binDepthMm,
        Double ratedPowerW) {
      this(
          assetPk,
          assetRef,
          name,
          latitude,
          longitude,
          street,
          ward,
          binDepthMm,
          ratedPowerW,
          Optional.empty());
    }
  }

  /**
   * When the collection round empties a bin: on {@code days}, at {@code time} local to {@code
   * zone}.
   */
  public record CollectionRound(
      java.util.Set<java.time.DayOfWeek> days, java.time.LocalTime time, java.time.ZoneId zone) {
    public CollectionRound {
      days = java.util.Set.copyOf(days);
    }

    /** The first scheduled collection strictly after {@code after}, if the bin has a schedule. */
    public Optional<java.time.Instant> next(java.time.Instant after) {
      if (days.isEmpty()) {
        return Optional.empty();
      }
      java.time.LocalDate day = after.atZone(zone).toLocalDate();
      for (int i = 0; i <= 7; i++) {
        java.time.LocalDate d = day.plusDays(i);
        if (days.contains(d.getDayOfWeek())) {
          java.time.Instant at = d.atTime(time).atZone(zone).toInstant();
          if (at.isAfter(after)) {
            return Optional.of(at);
          }
        }
      }
      return Optional.empty();
    }
  }

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
