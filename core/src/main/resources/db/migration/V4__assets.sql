-- The asset registry: street assets (bins, streetlights, pavement sections), the devices attached
-- to them with their attachment history, and the per-council API keys of the REST API.
-- An asset is identified within its council by the council's own reference (asset_ref), which is
-- what imports upsert by.

CREATE TABLE asset (
    asset_pk            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_id          integer          NOT NULL REFERENCES council,
    asset_ref           text             NOT NULL CHECK (asset_ref ~ '^[^[:cntrl:]]{1,128}$'),
    kind                text             NOT NULL CHECK (kind IN ('bin', 'streetlight', 'pavement')),
    name                text,
    latitude            double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude           double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    street              text,
    street_type         text,
    ward                text,
    status              text             NOT NULL DEFAULT 'active'
                                         CHECK (status IN ('planned', 'active', 'faulty', 'removed')),
    installed_on        date,
    -- bins
    bin_depth_mm        integer          CHECK (bin_depth_mm > 0),
    bin_capacity_l      integer          CHECK (bin_capacity_l > 0),
    collection_days     text,
    collection_time     time,
    -- streetlights
    lamp_type           text,
    rated_power_w       double precision CHECK (rated_power_w > 0),
    dimming_profile     text,
    mounting_height_m   double precision CHECK (mounting_height_m > 0),
    -- pavement sections
    surface             text,
    pavement_use        text             CHECK (pavement_use IN ('footway', 'carriageway')),
    section_length_m    double precision CHECK (section_length_m > 0),
    shade               double precision CHECK (shade BETWEEN 0 AND 1),
    imported_at         timestamptz      NOT NULL DEFAULT now(),
    UNIQUE (council_id, asset_ref),
    UNIQUE (council_id, asset_pk)
);
CREATE INDEX asset_council_kind_idx ON asset (council_id, kind);
CREATE INDEX asset_council_ward_idx ON asset (council_id, ward);
CREATE INDEX asset_council_position_idx ON asset (council_id, latitude, longitude);

-- A device's current asset; the composite key keeps device and asset in the same council.
ALTER TABLE device ADD COLUMN asset_pk bigint;
ALTER TABLE device ADD COLUMN attached_at timestamptz;
ALTER TABLE device ADD CONSTRAINT device_asset_fk
    FOREIGN KEY (council_id, asset_pk) REFERENCES asset (council_id, asset_pk);
CREATE INDEX device_asset_idx ON device (asset_pk);

COMMENT ON COLUMN device.asset_ref IS
    'The council''s asset reference as last imported; the key is asset_pk';

-- Every attachment of a device to an asset; the open one has detached_at NULL.
CREATE TABLE device_attachment (
    council_id   integer     NOT NULL,
    device_pk    bigint      NOT NULL REFERENCES device,
    asset_pk     bigint      NOT NULL,
    attached_at  timestamptz NOT NULL,
    detached_at  timestamptz,
    PRIMARY KEY (device_pk, attached_at),
    FOREIGN KEY (council_id, asset_pk) REFERENCES asset (council_id, asset_pk),
    CHECK (detached_at IS NULL OR detached_at >= attached_at)
);
CREATE UNIQUE INDEX device_attachment_open_idx ON device_attachment (device_pk) WHERE detached_at IS NULL;
CREATE INDEX device_attachment_asset_idx ON device_attachment (asset_pk, attached_at);

-- REST API keys: only the SHA-256 of a key is stored; the key itself is shown once.
CREATE TABLE api_key (
    api_key_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    council_id  integer     NOT NULL REFERENCES council,
    key_sha256  bytea       NOT NULL UNIQUE CHECK (length(key_sha256) = 32),
    label       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_reader') THEN
        GRANT SELECT ON asset, device_attachment, api_key TO kerbside_reader;
    END IF;
END
$$;
