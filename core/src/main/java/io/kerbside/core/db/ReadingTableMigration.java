package io.kerbside.core.db;

import io.kerbside.core.Metric;
import io.kerbside.core.config.DatabaseConfig.StorageChoice;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Version 2: the readings table, as a TimescaleDB hypertable or as a table partitioned by day, and
 * the two functions that hide the difference from the rest of Kerbside: {@code
 * ensure_reading_partitions(from, to)} and {@code apply_reading_retention(days)}. Both run with the
 * owner's rights so the ingest role needs no DDL privilege.
 *
 * <p>One row per reading message element; its identity is {@code (device_pk, ts)}, which is what
 * makes redelivered messages land once (see docs/decisions/002-reading-identity.md).
 */
final class ReadingTableMigration implements JavaMigration {
  private final StorageChoice choice;

  ReadingTableMigration(StorageChoice choice) {
    this.choice = choice;
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("2");
  }

  @Override
  public String getDescription() {
    return "readings";
  }

  /** Fixed: the migration's SQL must never change once released. */
  @Override
  public Integer getChecksum() {
    return 2;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    StorageLayout layout = StorageLayout.choose(c, choice);
    try (Statement st = c.createStatement()) {
      if (layout == StorageLayout.TIMESCALEDB) {
        st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA public");
      }
      st.execute(
          "CREATE TABLE reading ("
              + "council_id integer NOT NULL,"
              + "device_pk bigint NOT NULL,"
              + "ts timestamptz NOT NULL,"
              + "received_at timestamptz NOT NULL,"
              + "seq bigint,"
              + metricColumns()
              + "extra jsonb,"
              + "PRIMARY KEY (device_pk, ts))"
              + (layout == StorageLayout.POSTGRES_PARTITIONS ? " PARTITION BY RANGE (ts)" : ""));
      st.execute("CREATE INDEX reading_council_ts_idx ON reading (council_id, ts DESC)");
      st.execute(
          "COMMENT ON TABLE reading IS 'One row per reading; identity (device_pk, ts). Layout: "
              + layout.name().toLowerCase(java.util.Locale.ROOT)
              + "'");
      if (layout == StorageLayout.TIMESCALEDB) {
        st.execute(
            "SELECT public.create_hypertable('reading', 'ts',"
                + " chunk_time_interval => INTERVAL '1 day', create_default_indexes => false)");
        st.execute(
            "CREATE FUNCTION ensure_reading_partitions(p_from date, p_to date) RETURNS integer"
                + " LANGUAGE sql AS $$ SELECT 0 $$");
        st.execute(
            "CREATE FUNCTION apply_reading_retention(p_keep_days integer) RETURNS integer"
                + " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$"
                + " DECLARE n integer;"
                + " BEGIN"
                + "  SELECT count(*) INTO n FROM public.drop_chunks("
                + "   format('%I.reading', '"
                + schema(c)
                + "')::regclass,"
                + "   older_than => now() - make_interval(days => p_keep_days));"
                + "  RETURN n;"
                + " END $$");
      } else {
        st.execute(
            "CREATE FUNCTION ensure_reading_partitions(p_from date, p_to date) RETURNS integer"
                + " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
                + " DECLARE d date := p_from; created integer := 0; part text;"
                + " BEGIN"
                + "  WHILE d <= p_to LOOP"
                + "   part := 'reading_p' || to_char(d, 'YYYYMMDD');"
                + "   IF to_regclass(format('%I.%I', '"
                + schema(c)
                + "', part)) IS NULL THEN"
                + "    BEGIN"
                + "     EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.reading"
                + " FOR VALUES FROM (%L) TO (%L)', '"
                + schema(c)
                + "', part, '"
                + schema(c)
                + "', d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');"
                + "     created := created + 1;"
                + "    EXCEPTION WHEN duplicate_table THEN NULL;"
                + "    END;"
                + "   END IF;"
                + "   d := d + 1;"
                + "  END LOOP;"
                + "  RETURN created;"
                + " END $$");
        st.execute(
            "CREATE FUNCTION apply_reading_retention(p_keep_days integer) RETURNS integer"
                + " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$"
                + " DECLARE r record; dropped integer := 0;"
                + " BEGIN"
                + "  FOR r IN SELECT c.relname FROM pg_inherits i"
                + "   JOIN pg_class c ON c.oid = i.inhrelid"
                + "   JOIN pg_class p ON p.oid = i.inhparent"
                + "   JOIN pg_namespace n ON n.oid = p.relnamespace"
                + "   WHERE p.relname = 'reading' AND n.nspname = '"
                + schema(c)
                + "'   AND c.relname ~ '^reading_p[0-9]{8}$'"
                + "   AND to_date(substr(c.relname, 10), 'YYYYMMDD') + 1"
                + "       <= (now() AT TIME ZONE 'UTC')::date - p_keep_days"
                + "  LOOP"
                + "   EXECUTE format('DROP TABLE %I.%I', '"
                + schema(c)
                + "', r.relname);"
                + "   dropped := dropped + 1;"
                + "  END LOOP;"
                + "  RETURN dropped;"
                + " END $$");
        st.execute(
            "SELECT ensure_reading_partitions((now() AT TIME ZONE 'UTC')::date - 1,"
                + " (now() AT TIME ZONE 'UTC')::date + 3)");
      }
      st.execute("REVOKE EXECUTE ON FUNCTION ensure_reading_partitions(date, date) FROM PUBLIC");
      st.execute("REVOKE EXECUTE ON FUNCTION apply_reading_retention(integer) FROM PUBLIC");
    }
  }

  private static String metricColumns() {
    StringBuilder sb = new StringBuilder();
    for (Metric m : Metric.values()) {
      String type =
          m.isFlag()
              ? "boolean"
              : (m == Metric.ENERGY_WH || m == Metric.BURN_HOURS ? "double precision" : "real");
      sb.append(m.code()).append(' ').append(type).append(',');
    }
    return sb.toString();
  }

  private static String schema(Connection c) throws SQLException {
    String schema = c.getSchema();
    if (!schema.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalStateException("unsupported schema name " + schema);
    }
    return schema;
  }
}
