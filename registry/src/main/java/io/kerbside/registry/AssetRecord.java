package io.kerbside.registry;

/**
 * One row of an asset list: an asset and, optionally, a device attached to it. An asset with
 * several devices takes one row per device.
 *
 * @param deviceId the attached device, or null
 * @param expectedIntervalS the device's reporting interval in seconds, or null for the default
 */
public record AssetRecord(Asset asset, String deviceId, Integer expectedIntervalS) {}
