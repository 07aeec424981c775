package io.kerbside.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native compression and a retention policy for the readings hypertable, applied when the server's
 * {@code timescaledb.license} is {@code timescale} (the community licence). Under the Apache
 * licence (as packaged by Debian) these features do not exist; Kerbside then keeps readings bounded
 * itself through {@link ReadingMaintenance}, which calls {@code drop_chunks}.
 */
public final class TimescalePolicies {
  private static final Logger LOG = LoggerFactory.getLogger(TimescalePolicies.class);

  private TimescalePolicies() {}

  /**
   * Applies or updates the policies; returns false when the layout or licence does not allow them.
   */
  public static boolean apply(DataSource dataSource, int retentionDays, int compressAfterDays)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      if (StorageLayout.detect(c) != StorageLayout.TIMESCALEDB) {
        return false;
      }
      String license = setting(c, "timescaledb.license");
      if (!"timescale".equals(license)) {
        LOG.info(
            "timescaledb licence is '{}': no native compression or retention policy; Kerbside drops"
                + " chunks older than {} days itself",
            license,
            retentionDays);
        return false;
      }
      try (Statement st = c.createStatement()) {
        if (!compressionEnabled(c)) {
          st.execute(
              "ALTER TABLE reading SET (timescaledb.compress,"
                  + " timescaledb.compress_segmentby = 'device_pk',"
                  + " timescaledb.compress_orderby = 'ts DESC')");
        }
        st.execute("SELECT public.remove_compression_policy('reading', if_exists => true)");
        st.execute(
            "SELECT public.add_compression_policy('reading', make_interval(days => "
                + compressAfterDays
                + "))");
        st.execute("SELECT public.remove_retention_policy('reading', if_exists => true)");
        st.execute(
            "SELECT public.add_retention_policy('reading', make_interval(days => "
                + retentionDays
                + "))");
      }
      LOG.info(
          "timescaledb - compression after {} days and retention of {} days enabled",
          compressAfterDays,
          retentionDays);
      return true;
    }
  }

  private static boolean compressionEnabled(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT compression_enabled FROM timescaledb_information.hypertables"
                    + " WHERE hypertable_schema = current_schema() AND hypertable_name = 'reading'");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static String setting(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?, true)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
