package io.kerbside.registry.store;

import io.kerbside.core.DeviceKind;
import java.time.Instant;

/**
 * A device and the asset it is attached to now.
 *
 * @param assetId the asset's key, or null when unattached
 * @param attachedAt when it was attached to that asset, or null
 * @param lastSeenAt its latest reading's time as ingest last recorded it, or null
 */
public record DeviceInfo(
    String deviceId,
    DeviceKind kind,
    Long assetId,
    String assetRef,
    Instant attachedAt,
    Instant lastSeenAt,
    int expectedIntervalS,
    String registration) {}
