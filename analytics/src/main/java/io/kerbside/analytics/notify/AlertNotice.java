package io.kerbside.analytics.notify;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a maintenance team is told about one step of an alert's life (opened, reopened, escalated,
 * resolved ...): everything a channel formats, with the asset's location for the crew.
 *
 * @param eventType the {@code alert_event.type} this notice is for
 * @param value the measure that shows the condition (fill %, temperature, watts ...), if any
 */
public record AlertNotice(
    long alertId,
    long alertEventId,
    String eventType,
    String councilSlug,
    String rule,
    String kind,
    String severity,
    String status,
    String subject,
    String summary,
    Double value,
    Double peakValue,
    Instant observedAt,
    Instant openedAt,
    Optional<Instant> predictedAt,
    String deviceId,
    Optional<AssetLocation> asset,
    Map<String, Object> details) {

  /** Where the asset is and what it is called. */
  public record AssetLocation(
      String assetRef,
      String name,
      double latitude,
      double longitude,
      String street,
      String ward) {}

  public Optional<String> ward() {
    return asset.map(AssetLocation::ward);
  }
}
