package io.kerbside.core.db;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Keeps the readings table ready and bounded: partitions a few days ahead (on plain PostgreSQL) and
 * readings older than the retention window dropped (both layouts). Blocking; call from a worker.
 */
public final class ReadingMaintenance {
  /** Days of partitions created ahead of today (UTC). */
  public static final int DAYS_AHEAD = 3;

  private final DataSource dataSource;
  private final int retentionDays;
  private final Clock clock;

  public ReadingMaintenance(DataSource dataSource, int retentionDays, Clock clock) {
    this.dataSource = dataSource;
    this.retentionDays = retentionDays;
    this.clock = clock;
  }

  /** Creates partitions for {@code from..to} (UTC days, inclusive); returns how many were new. */
  public int ensurePartitions(LocalDate from, LocalDate to) throws SQLException {
    try (Connection c = dataSource.getConnection();
        CallableStatement cs = c.prepareCall("{? = call ensure_reading_partitions(?, ?)}")) {
      cs.registerOutParameter(1, java.sql.Types.INTEGER);
      cs.setObject(2, from);
      cs.setObject(3, to);
      cs.execute();
      return cs.getInt(1);
    }
  }

  /** One maintenance pass: partitions ahead, then retention. Returns partitions/chunks dropped. */
  public int run() throws SQLException {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    ensurePartitions(today.minusDays(1), today.plusDays(DAYS_AHEAD));
    try (Connection c = dataSource.getConnection();
        CallableStatement cs = c.prepareCall("{? = call apply_reading_retention(?)}")) {
      cs.registerOutParameter(1, java.sql.Types.INTEGER);
      cs.setInt(2, retentionDays);
      cs.execute();
      return cs.getInt(1);
    }
  }
}
