-- Ingest derives a bin's fill from a distance sensor with the depth the asset registry knows for
-- the bin the device is attached to. It may read exactly that: an asset's key and its depth,
-- nothing else of the registry.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_ingest') THEN
        GRANT SELECT (asset_pk, bin_depth_mm) ON asset TO kerbside_ingest;
    END IF;
END
$$;
