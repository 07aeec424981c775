-- Every function of the schema runs with its own search_path, whatever the caller's: Grafana, psql
-- and the roles' own sessions call them schema-qualified (kerbside.sequence_gaps(...)) from
-- sessions that need not have the schema on their path. Before this, sequence_gaps resolved
-- "reading" in the caller's path and failed outside the schema, and the owner-rights functions of
-- the TimescaleDB layout put public on theirs.
--
-- The path is the schema, then pg_catalog, then pg_temp last, so that a temporary table cannot
-- stand in for one of the schema's tables (PostgreSQL searches pg_temp first unless it is named).
-- A SQL function with a SET clause is no longer inlined into the calling query; sequence_gaps is
-- then planned as a query of its own with its bounds as parameters, which still reads only the
-- partitions or chunks of its range (docs/decisions/009-function-search-path.md).
--
-- A function added later sets the same path where it is created; FunctionSearchPathIT fails for
-- one that does not.

-- Created by version 2 (ReadingTableMigration), one body per storage layout.
ALTER FUNCTION ensure_reading_partitions(date, date)
    SET search_path = ${flyway:defaultSchema}, pg_catalog, pg_temp;
ALTER FUNCTION apply_reading_retention(integer)
    SET search_path = ${flyway:defaultSchema}, pg_catalog, pg_temp;

ALTER FUNCTION sequence_gaps(timestamptz, timestamptz)
    SET search_path = ${flyway:defaultSchema}, pg_catalog, pg_temp;

ALTER FUNCTION refresh_reading_rollups(timestamptz, timestamptz)
    SET search_path = ${flyway:defaultSchema}, pg_catalog, pg_temp;
ALTER FUNCTION apply_rollup_retention(integer)
    SET search_path = ${flyway:defaultSchema}, pg_catalog, pg_temp;
