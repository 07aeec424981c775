/**
 * The asset registry: a council's street assets (bins, streetlights, pavement sections) and the
 * devices attached to them. {@link io.kerbside.registry.AssetImport} reads CSV or GeoJSON asset
 * lists (the format the simulator's town export writes) and upserts them by the council's own asset
 * reference; {@link io.kerbside.registry.AssetExport} writes them back in either format; {@link
 * io.kerbside.registry.api.RegistryRoutes} adds their REST operations to the API.
 */
package io.kerbside.registry;
