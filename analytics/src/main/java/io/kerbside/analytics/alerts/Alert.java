package io.kerbside.analytics.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * One alert as stored. Observation times come from the readings; the lifecycle times ({@code
 * openedAt}, {@code acknowledgedAt}, {@code resolvedAt}) from the clock of whoever acted. Optional
 * values are null when absent.
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
    int reopenCount) {}
