package io.kerbside.ingest;

import io.kerbside.core.db.ReadingMaintenance;
import io.kerbside.core.db.ReadingRollups;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the readings table ready for the ingest connections: partitions ahead and retention (once
 * at start, before any reading is written, then hourly) and the hourly rollups the dashboards read
 * (the current hour every minute; the first pass catches up with what was stored while no ingest
 * ran). The SQL runs on the worker pool {@code kerbside-ingest-upkeep}; a failed pass is logged and
 * tried again at its next turn.
 */
final class StorageUpkeepVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageUpkeepVerticle.class);
  private static final long MAINTENANCE_PERIOD_MS = Duration.ofHours(1).toMillis();
  private static final long ROLLUP_PERIOD_MS = Duration.ofMinutes(1).toMillis();

  private final ReadingMaintenance maintenance;
  private final ReadingRollups rollups;
  private WorkerExecutor sql;
  private long maintenanceTimer = -1;
  private long rollupTimer = -1;
  private boolean caughtUp;

  StorageUpkeepVerticle(ReadingMaintenance maintenance, ReadingRollups rollups) {
    this.maintenance = maintenance;
    this.rollups = rollups;
  }

  @Override
  public Future<?> start() {
    sql = vertx.createSharedWorkerExecutor("kerbside-ingest-upkeep", 1);
    // Partitions must exist before the first batch is written.
    return sql.executeBlocking(maintenance::run, false)
        .onSuccess(
            dropped -> {
              maintenanceTimer = vertx.setPeriodic(MAINTENANCE_PERIOD_MS, id -> maintain());
              rollupTimer = vertx.setPeriodic(ROLLUP_PERIOD_MS, id -> rollUp());
            });
  }

  private void maintain() {
    sql.executeBlocking(maintenance::run, false)
        .onSuccess(n -> LOG.info("maintenance - {} old partitions or chunks dropped", n))
        .onFailure(e -> LOG.warn("maintenance - failed, retrying in an hour", e));
    sql.executeBlocking(rollups::refreshLate, false)
        .onFailure(e -> LOG.warn("rollups - late refresh failed, retrying in an hour", e));
  }

  private void rollUp() {
    boolean recent = caughtUp;
    sql.executeBlocking(() -> recent ? rollups.refreshRecent() : rollups.refreshLate(), false)
        .onSuccess(n -> caughtUp = true)
        .onFailure(e -> LOG.warn("rollups - refresh failed, retrying in a minute", e));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(maintenanceTimer);
    vertx.cancelTimer(rollupTimer);
    return sql.close();
  }
}
