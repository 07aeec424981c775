-- Least-privilege group roles. Login roles are made members of these by the
-- administrator, e.g.  CREATE ROLE ingest_svc LOGIN PASSWORD '...' IN ROLE kerbside_ingest;
-- Roles are cluster-wide; creating them needs CREATEROLE, otherwise an administrator
-- creates them and this migration only grants.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_ingest') THEN
        BEGIN
            CREATE ROLE kerbside_ingest NOLOGIN;
        EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN
            RAISE NOTICE 'role kerbside_ingest not created: %', SQLERRM;
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_reader') THEN
        BEGIN
            CREATE ROLE kerbside_reader NOLOGIN;
        EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN
            RAISE NOTICE 'role kerbside_reader not created: %', SQLERRM;
        END;
    END IF;

    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_ingest') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO kerbside_ingest', current_schema());
        GRANT SELECT ON council TO kerbside_ingest;
        GRANT SELECT, INSERT ON device TO kerbside_ingest;
        GRANT UPDATE (last_seen_at) ON device TO kerbside_ingest;
        GRANT INSERT ON reading TO kerbside_ingest;
        GRANT INSERT ON dead_letter TO kerbside_ingest;
        EXECUTE format('GRANT SELECT ON %I.flyway_schema_history TO kerbside_ingest', current_schema());
        GRANT EXECUTE ON FUNCTION ensure_reading_partitions(date, date) TO kerbside_ingest;
        GRANT EXECUTE ON FUNCTION apply_reading_retention(integer) TO kerbside_ingest;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kerbside_reader') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO kerbside_reader', current_schema());
        GRANT SELECT ON council, device, reading, dead_letter TO kerbside_reader;
    END IF;
END
$$;
