package io.kerbside.analytics.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * One alert as stored. Condition times come from the readings: it began at {@code observedAt} and
 * cleared at {@code conditionClearedAt} (null while active, or when a person resolved it); the
 * lifecycle times ({@code openedAt}, {@code acknowledgedAt}, {@code resolvedAt}) from the clock of
 * whoever acted, which after a replay or a backlog is much later. Optional values are null when
 * absent.
 */
public record Alert(
    long id,
    String councilSlug,
    String subject,
    String rule,
    String kind,
    String severity,
    AlertStatus status,
    Long assetPk,
    String assetRef,
    Long devicePk,
    String deviceId,
    String ward,
    String summary,
    Double value,
    Double peakValue,
    Map<String, Object> details,
    Instant predictedAt,
    Instant observedAt,
    Instant lastObservedAt,
    Instant openedAt,
    Instant updatedAt,
    Instant acknowledgedAt,
    String acknowledgedBy,
    Instant resolvedAt,
    String resolvedBy,
    String assignee,
    int reopenCount,
    Instant conditionClearedAt) {

  /**
   * How long the condition lasted, from the readings: from its first observation to its clearing;
   * empty while it lasts or when a person resolved the alert without the readings clearing it.
   */
  public java.util.Optional<java.time.Duration> conditionDuration() {
    return conditionClearedAt == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(java.time.Duration.between(observedAt, conditionClearedAt));
  }
}
