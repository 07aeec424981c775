package io.kerbside.core.db;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Keeps the hourly rollups that dashboards read ({@code reading_hourly}, {@code
 * reading_ward_hourly}) up to date by recomputing recent hours from the readings. Cheap enough to
 * run every minute: {@link #refreshRecent()} touches the current and the previous hour only; {@link
 * #refreshLate()} goes back {@link #LATE_WINDOW} for readings that arrive late (devices that
 * buffer, a backlog after an outage). Blocking; call from a worker. See
 * docs/decisions/007-rollups.md.
 */
public final class ReadingRollups {
  /** How far back the recent refresh reaches. */
  public static final Duration RECENT_WINDOW = Duration.ofHours(1);

  /** How far back the late refresh reaches; readings later than this stay out of the rollups. */
  public static final Duration LATE_WINDOW = Duration.ofHours(48);

  private final DataSource dataSource;
  private final int retentionDays;
  private final Clock clock;

  public ReadingRollups(DataSource dataSource, int retentionDays, Clock clock) {
    this.dataSource = dataSource;
    this.retentionDays = retentionDays;
    this.clock = clock;
  }

  /** Recomputes every hour overlapping {@code [from, to)}; returns the device-hours written. */
  public int refresh(Instant from, Instant to) throws SQLException {
    try (Connection c = dataSource.getConnection();
        CallableStatement cs = c.prepareCall("{? = call refresh_reading_rollups(?, ?)}")) {
      cs.registerOutParameter(1, java.sql.Types.INTEGER);
      cs.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      cs.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      cs.execute();
      return cs.getInt(1);
    }
  }

  /** The current and the previous hour. */
  public int refreshRecent() throws SQLException {
    Instant now = clock.instant();
    return refresh(now.minus(RECENT_WINDOW), now);
  }

  /** The last {@link #LATE_WINDOW}, then rollups older than the retention window are dropped. */
  public int refreshLate() throws SQLException {
    Instant now = clock.instant();
    int n = refresh(now.minus(LATE_WINDOW), now);
    try (Connection c = dataSource.getConnection();
        CallableStatement cs = c.prepareCall("{? = call apply_rollup_retention(?)}")) {
      cs.registerOutParameter(1, java.sql.Types.INTEGER);
      cs.setInt(2, retentionDays);
      cs.execute();
    }
    return n;
  }
}
