package io.kerbside.analytics.evaluate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A PostgreSQL session advisory lock that makes one analytics instance at a time evaluate a kind of
 * pass; the others skip it. The lock lives as long as the connection that took it, so an instance
 * that dies releases it.
 */
final class EvaluationLock implements AutoCloseable {
  /** Lock keys; the first key is Kerbside's, the second the pass. */
  static final int NAMESPACE = 0x4b524253;

  static final int READINGS = 1;
  static final int SCHEDULE = 2;

  private final Connection connection;
  private final int key;

  private EvaluationLock(Connection connection, int key) {
    this.connection = connection;
    this.key = key;
  }

  /** The lock, if no other instance holds it. */
  static java.util.Optional<EvaluationLock> tryTake(DataSource ds, int key) throws SQLException {
    Connection c = ds.getConnection();
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
      ps.setInt(1, NAMESPACE);
      ps.setInt(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          return java.util.Optional.of(new EvaluationLock(c, key));
        }
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    c.close();
    return java.util.Optional.empty();
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = connection;
        PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
      ps.setInt(1, NAMESPACE);
      ps.setInt(2, key);
      ps.execute();
    }
  }
}
