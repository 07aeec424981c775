package io.kerbside.registry.store;

import io.kerbside.registry.Asset;

/**
 * An asset as stored.
 *
 * @param id the registry's key ({@code asset.asset_pk}), used in REST paths
 */
public record StoredAsset(long id, Asset asset) {}
