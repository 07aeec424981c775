package io.kerbside.core.db;

import io.kerbside.core.config.DatabaseConfig.StorageChoice;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** How {@code kerbside.reading} is stored: a TimescaleDB hypertable or native daily partitions. */
public enum StorageLayout {
  TIMESCALEDB,
  POSTGRES_PARTITIONS;

  /**
   * Decides the layout for a new schema: TimescaleDB when asked for or, with {@code auto}, when the
   * extension is installed or can be created (it is preloaded by the server).
   *
   * @throws IllegalStateException when TimescaleDB is required but not available
   */
  static StorageLayout choose(Connection c, StorageChoice choice) throws SQLException {
    if (choice == StorageChoice.POSTGRES) {
      return POSTGRES_PARTITIONS;
    }
    boolean available = timescaleAvailable(c);
    if (choice == StorageChoice.TIMESCALEDB && !available) {
      throw new IllegalStateException(
          "KERBSIDE_DB_STORAGE=timescaledb but the timescaledb extension is neither installed in"
              + " this database nor loadable (shared_preload_libraries)");
    }
    return available ? TIMESCALEDB : POSTGRES_PARTITIONS;
  }

  /** The layout an existing schema uses. */
  public static StorageLayout detect(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p"
                    + " JOIN pg_class r ON r.oid = p.partrelid"
                    + " JOIN pg_namespace n ON n.oid = r.relnamespace"
                    + " WHERE r.relname = 'reading' AND n.nspname = 'kerbside')")) {
      rs.next();
      return rs.getBoolean(1) ? POSTGRES_PARTITIONS : TIMESCALEDB;
    }
  }

  private static boolean timescaleAvailable(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'),"
                    + " EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'),"
                    + " current_setting('shared_preload_libraries') LIKE '%timescaledb%'")) {
      rs.next();
      return rs.getBoolean(1) || (rs.getBoolean(2) && rs.getBoolean(3));
    }
  }
}
