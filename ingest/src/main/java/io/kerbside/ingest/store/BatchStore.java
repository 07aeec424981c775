package io.kerbside.ingest.store;

import io.kerbside.ingest.decode.DecodedMessage;
import java.sql.SQLException;
import java.util.List;

/**
 * Commits decoded messages: readings and dead letters of a batch in one transaction. Blocking; the
 * pipeline calls it on a worker thread, one batch at a time.
 */
public interface BatchStore {
  /**
   * Commits the batch.
   *
   * @throws SQLException when the transaction did not commit; nothing of the batch is stored
   */
  WriteResult write(List<DecodedMessage> batch) throws SQLException;

  /**
   * Commits the batch message by message, so that a message the database refuses for its content is
   * dead-lettered instead of failing its neighbours.
   */
  WriteResult writeOneByOne(List<DecodedMessage> batch) throws SQLException;

  /** True when the database refused the batch for what it holds, not for an outage. */
  boolean isContentError(SQLException e);
}
