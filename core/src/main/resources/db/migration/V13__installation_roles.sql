-- Per-installation group roles. PostgreSQL roles belong to the whole cluster, so two
-- installations sharing one cluster under the same role names would let a login made for one
-- write into the other's database. With KERBSIDE_DB_ROLE_PREFIX set to a prefix of its own (say
-- townb), an installation's privileges are held by townb_ingest, townb_reader, townb_analytics
-- and townb_grafana instead of the kerbside_ ones: apply_role_prefix moves every privilege that a
-- kerbside_ group role holds in this database (on the schema, its tables and columns, its
-- functions) to the role of the same job under the prefix, creating that role when it may.
-- Every migrate calls it afterwards (db/callback/afterMigrate.sql), so grants made by later
-- migrations move too. With the default prefix kerbside nothing moves.
CREATE FUNCTION apply_role_prefix(prefix text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path = ${flyway:defaultSchema}, pg_catalog, pg_temp
AS $$
DECLARE
    job text;
    from_role text;
    to_role text;
    r record;
    moved integer := 0;
BEGIN
    IF prefix IS NULL OR prefix !~ '^[a-z][a-z0-9_]{0,39}$' THEN
        RAISE EXCEPTION 'role prefix must be lower-case letters, digits and _, got %', prefix;
    END IF;
    IF prefix = 'kerbside' THEN
        RETURN 0;
    END IF;
    FOREACH job IN ARRAY ARRAY['ingest', 'reader', 'analytics', 'grafana'] LOOP
        from_role := 'kerbside_' || job;
        to_role := prefix || '_' || job;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = to_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', to_role);
            EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN
                RAISE NOTICE 'role % not created: %', to_role, SQLERRM;
            END;
        END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = from_role)
           OR NOT EXISTS (SELECT FROM pg_roles WHERE rolname = to_role) THEN
            CONTINUE;
        END IF;
        -- the schema
        FOR r IN
            SELECT n.nspname, a.privilege_type
            FROM pg_namespace n, aclexplode(n.nspacl) a
            WHERE n.nspname = current_schema() AND a.grantee = from_role::regrole
        LOOP
            EXECUTE format('GRANT %s ON SCHEMA %I TO %I', r.privilege_type, r.nspname, to_role);
            EXECUTE format('REVOKE %s ON SCHEMA %I FROM %I', r.privilege_type, r.nspname, from_role);
            moved := moved + 1;
        END LOOP;
        -- tables, views and sequences
        FOR r IN
            SELECT c.oid::regclass AS rel, a.privilege_type
            FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.relnamespace = current_schema()::regnamespace
              AND a.grantee = from_role::regrole
        LOOP
            EXECUTE format('GRANT %s ON %s TO %I', r.privilege_type, r.rel, to_role);
            EXECUTE format('REVOKE %s ON %s FROM %I', r.privilege_type, r.rel, from_role);
            moved := moved + 1;
        END LOOP;
        -- columns
        FOR r IN
            SELECT c.oid::regclass AS rel, at.attname, a.privilege_type
            FROM pg_class c
            JOIN pg_attribute at ON at.attrelid = c.oid
            CROSS JOIN LATERAL aclexplode(at.attacl) a
            WHERE c.relnamespace = current_schema()::regnamespace
              AND a.grantee = from_role::regrole
        LOOP
            EXECUTE format('GRANT %s (%I) ON %s TO %I',
                           r.privilege_type, r.attname, r.rel, to_role);
            EXECUTE format('REVOKE %s (%I) ON %s FROM %I',
                           r.privilege_type, r.attname, r.rel, from_role);
            moved := moved + 1;
        END LOOP;
        -- functions
        FOR r IN
            SELECT p.oid::regprocedure AS fn, a.privilege_type
            FROM pg_proc p, aclexplode(p.proacl) a
            WHERE p.pronamespace = current_schema()::regnamespace
              AND a.grantee = from_role::regrole
        LOOP
            EXECUTE format('GRANT %s ON FUNCTION %s TO %I', r.privilege_type, r.fn, to_role);
            EXECUTE format('REVOKE %s ON FUNCTION %s FROM %I', r.privilege_type, r.fn, from_role);
            moved := moved + 1;
        END LOOP;
    END LOOP;
    RETURN moved;
END
$$;

REVOKE EXECUTE ON FUNCTION apply_role_prefix(text) FROM PUBLIC;
