-- What Grafana reads: hourly rollups of the readings, kept by Kerbside itself (TimescaleDB's
-- continuous aggregates are not part of its Apache-licensed edition, and plain PostgreSQL has
-- none), and the read-only role kerbside_grafana, which may read what the dashboards show and
-- nothing else. See docs/decisions/007-rollups.md.

-- One row per device and hour; a column per figure a dashboard draws. "last" is the latest
-- non-null value of the hour; fill_pct_drop_max is the largest fall between consecutive readings
-- (a collection); energy_wh_used and seq_lost count from the reading before each one, so an hour
-- boundary loses nothing.
CREATE TABLE reading_hourly (
    council_id          integer          NOT NULL,
    device_pk           bigint           NOT NULL,
    bucket              timestamptz      NOT NULL,
    readings            integer          NOT NULL,
    last_ts             timestamptz      NOT NULL,
    seq_lost            integer          NOT NULL DEFAULT 0,
    fill_pct_avg        real,
    fill_pct_min        real,
    fill_pct_max        real,
    fill_pct_last       real,
    fill_pct_drop_max   real,
    temp_c_max          real,
    tilt_deg_max        real,
    battery_v_min       real,
    lamp_on_ratio       real,
    lamp_switches       integer,
    dim_pct_avg         real,
    power_w_avg         real,
    power_w_on_avg      real,
    lux_avg             real,
    energy_wh_used      double precision,
    burn_hours_last     double precision,
    surface_temp_c_min  real,
    surface_temp_c_avg  real,
    air_temp_c_avg      real,
    moisture_pct_avg    real,
    water_film_mm_max   real,
    vibration_g_avg     real,
    vibration_g_max     real,
    crack_mm_max        real,
    PRIMARY KEY (device_pk, bucket)
);
-- By hour first: the refresh replaces whole hours, panels read ranges of hours.
CREATE INDEX reading_hourly_bucket_idx ON reading_hourly (bucket, council_id);
-- The rare hours a bin was hot or knocked over, so the event table of a month stays instant.
CREATE INDEX reading_hourly_bin_events_idx ON reading_hourly (council_id, bucket)
    WHERE temp_c_max >= 60 OR tilt_deg_max >= 45;

-- One row per council, ward, kind and hour, from reading_hourly: what town-wide panels over
-- weeks read (tens of thousands of rows for a month instead of millions). Devices without an
-- asset, or whose asset has no ward, are under ward ''.
CREATE TABLE reading_ward_hourly (
    council_id          integer          NOT NULL,
    bucket              timestamptz      NOT NULL,
    kind                text             NOT NULL,
    ward                text             NOT NULL,
    devices             integer          NOT NULL,
    readings            bigint           NOT NULL,
    seq_lost            bigint           NOT NULL,
    fill_pct_avg        real,
    fill_pct_max        real,
    bins_full           integer,
    collections         integer,
    battery_v_min       real,
    batteries_low       integer,
    lamp_on_hours       real,
    lamps_cycling       integer,
    power_w_avg         real,
    energy_wh_used      double precision,
    surface_temp_c_min  real,
    surface_temp_c_avg  real,
    moisture_pct_avg    real,
    sections_ice_risk   integer,
    vibration_g_avg     real,
    vibration_g_max     real,
    crack_mm_max        real,
    PRIMARY KEY (bucket, council_id, kind, ward)
);

-- Recomputes every hour that overlaps [p_from, p_to) from the readings, for both rollups, and
-- returns the device-hours written. Idempotent, so a late reading is taken in by refreshing its
-- hour again; concurrent callers (several ingest instances) take turns. Runs with the owner's
-- rights so that the ingest role needs no write access to the rollups.
-- Each call is planned for its own range (never a generic plan), so only the chunks or partitions
-- of that range are read.
CREATE FUNCTION refresh_reading_rollups(p_from timestamptz, p_to timestamptz) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${flyway:defaultSchema}, pg_catalog
    SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    f timestamptz := date_trunc('hour', p_from);
    t timestamptz := date_trunc('hour', p_to) + interval '1 hour';
    n integer;
BEGIN
    IF p_to < p_from THEN
        RAISE EXCEPTION 'refresh_reading_rollups: % is before %', p_to, p_from;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('kerbside.refresh_reading_rollups'));

    DELETE FROM reading_hourly WHERE bucket >= f AND bucket < t;
    INSERT INTO reading_hourly
    SELECT r.council_id, r.device_pk, date_trunc('hour', r.ts), count(*), max(r.ts),
           coalesce(sum(r.seq - r.prev_seq - 1) FILTER (WHERE r.seq > r.prev_seq + 1), 0),
           avg(r.fill_pct), min(r.fill_pct), max(r.fill_pct),
           (array_agg(r.fill_pct ORDER BY r.ts DESC) FILTER (WHERE r.fill_pct IS NOT NULL))[1],
           max(r.prev_fill - r.fill_pct) FILTER (WHERE r.prev_fill > r.fill_pct),
           max(r.temp_c), max(r.tilt_deg), min(r.battery_v),
           avg(r.lamp_on::int), count(*) FILTER (WHERE r.lamp_on <> r.prev_lamp_on),
           avg(r.dim_pct), avg(r.power_w), avg(r.power_w) FILTER (WHERE r.lamp_on), avg(r.lux),
           sum(r.energy_wh - r.prev_energy) FILTER (WHERE r.energy_wh >= r.prev_energy),
           (array_agg(r.burn_hours ORDER BY r.ts DESC) FILTER (WHERE r.burn_hours IS NOT NULL))[1],
           min(r.surface_temp_c), avg(r.surface_temp_c), avg(r.air_temp_c), avg(r.moisture_pct),
           max(r.water_film_mm), avg(r.vibration_g), max(r.vibration_g), max(r.crack_mm)
    FROM (SELECT x.*,
                 lag(x.seq) OVER w AS prev_seq,
                 lag(x.fill_pct) OVER w AS prev_fill,
                 lag(x.lamp_on) OVER w AS prev_lamp_on,
                 lag(x.energy_wh) OVER w AS prev_energy
          FROM reading x
          WHERE x.ts >= f - interval '1 hour' AND x.ts < t
          WINDOW w AS (PARTITION BY x.device_pk ORDER BY x.ts)) r
    WHERE r.ts >= f
    GROUP BY r.council_id, r.device_pk, date_trunc('hour', r.ts);
    GET DIAGNOSTICS n = ROW_COUNT;

    DELETE FROM reading_ward_hourly WHERE bucket >= f AND bucket < t;
    INSERT INTO reading_ward_hourly
    SELECT h.council_id, h.bucket, d.kind, coalesce(a.ward, ''), count(*), sum(h.readings),
           sum(h.seq_lost),
           avg(h.fill_pct_avg), max(h.fill_pct_max),
           count(*) FILTER (WHERE h.fill_pct_last >= 85),
           count(*) FILTER (WHERE h.fill_pct_drop_max >= 30),
           min(h.battery_v_min), count(*) FILTER (WHERE h.battery_v_min < 3.3),
           sum(h.lamp_on_ratio), count(*) FILTER (WHERE h.lamp_switches >= 4),
           avg(h.power_w_avg), sum(h.energy_wh_used),
           min(h.surface_temp_c_min), avg(h.surface_temp_c_avg), avg(h.moisture_pct_avg),
           count(*) FILTER (WHERE h.surface_temp_c_min <= 1 AND h.moisture_pct_avg >= 30),
           avg(h.vibration_g_avg), max(h.vibration_g_max), max(h.crack_mm_max)
    FROM reading_hourly h
    JOIN device d ON d.device_pk = h.device_pk
    LEFT JOIN asset a ON a.asset_pk = d.asset_pk
    WHERE h.bucket >= f AND h.bucket < t
    GROUP BY h.council_id, h.bucket, d.kind, coalesce(a.ward, '');
    RETURN n;
END
$$;

-- Rollups older than the readings' retention go with them.
CREATE FUNCTION apply_rollup_retention(p_keep_days integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_catalog AS $$
DECLARE n integer;
BEGIN
    DELETE FROM reading_hourly WHERE bucket < now() - make_interval(days => p_keep_days);
    GET DIAGNOSTICS n = ROW_COUNT;
    DELETE FROM reading_ward_hourly WHERE bucket < now() - make_interval(days => p_keep_days);
    RETURN n;
END
$$;

REVOKE EXECUTE ON FUNCTION refresh_reading_rollups(timestamptz, timestamptz) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION apply_rollup_retention(integer) FROM PUBLIC;

-- kerbside_grafana: the dashboards' role. It reads councils, devices, assets, readings, the
-- rollups, dead letters without their payload bytes, and alerts; never API keys, the attachment
-- history, alert events and deliveries, analytics' progress or the migration history. A Grafana
-- login is made a member:  CREATE ROLE grafana LOGIN PASSWORD '...' IN ROLE kerbside_grafana;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_grafana') THEN
        BEGIN
            CREATE ROLE kerbside_grafana NOLOGIN;
        EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN
            RAISE NOTICE 'role kerbside_grafana not created: %', SQLERRM;
        END;
    END IF;

    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_grafana') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO kerbside_grafana', current_schema());
        GRANT SELECT ON council, device, asset, reading, reading_hourly, reading_ward_hourly
            TO kerbside_grafana;
        GRANT SELECT (dead_letter_id, council_id, received_at, topic, format, reason, detail,
                      payload_size) ON dead_letter TO kerbside_grafana;
        GRANT SELECT ON alert TO kerbside_grafana;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_reader') THEN
        GRANT SELECT ON reading_hourly, reading_ward_hourly TO kerbside_reader;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_ingest') THEN
        GRANT EXECUTE ON FUNCTION refresh_reading_rollups(timestamptz, timestamptz) TO kerbside_ingest;
        GRANT EXECUTE ON FUNCTION apply_rollup_retention(integer) TO kerbside_ingest;
    END IF;
END
$$;
