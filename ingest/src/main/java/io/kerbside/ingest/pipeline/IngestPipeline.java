package io.kerbside.ingest.pipeline;

import io.kerbside.ingest.IngestMetrics;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.Reading;
import io.kerbside.ingest.decode.Rejection;
import io.kerbside.ingest.store.ReadingBatchWriter;
import io.kerbside.ingest.store.WriteResult;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded hand-off between the MQTT callback thread and the single writer thread.
 *
 * <p>{@link #offer} blocks while the in-flight limits (messages and bytes) are reached: that stalls
 * the MQTT client's reader, so the broker keeps what the database cannot take yet (backpressure)
 * instead of this process buffering without bound. The writer takes everything waiting, up to the
 * batch size (group commit; it may wait up to the configured delay for a batch to fill), commits it
 * in one transaction, retries a failed batch with exponential backoff until it commits, and only
 * then acknowledges its messages, in arrival order.
 *
 * <p>While messages keep arriving, the writer waits up to the configured delay for its batch to
 * fill: bigger batches cost less per reading. It stops waiting at the first pause in the stream (2
 * ms), because a broker with a small in-flight window sends nothing more until it is acknowledged.
 */
public final class IngestPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

  /** A gap between messages this long ends the wait for a fuller batch. */
  private static final long STREAM_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final ReadingBatchWriter writer;
  private final IngestMetrics metrics;
  private final Acknowledger acks;
  private final int batchSize;
  private final long batchMaxDelayNanos;
  private final int maxInFlight;
  private final long maxInFlightBytes;
  private final long retryMaxDelayMs;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<InFlightMessage> queue = new ArrayDeque<>();
  private int inFlight;
  private long inFlightBytes;

  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean abandon;
  private volatile boolean writerHealthy = true;

  public IngestPipeline(
      ReadingBatchWriter writer,
      IngestMetrics metrics,
      Acknowledger acks,
      int batchSize,
      int batchMaxDelayMs,
      int maxInFlight,
      long maxInFlightBytes,
      int retryMaxDelayMs) {
    this.writer = writer;
    this.metrics = metrics;
    this.acks = acks;
    this.batchSize = batchSize;
    this.batchMaxDelayNanos = TimeUnit.MILLISECONDS.toNanos(batchMaxDelayMs);
    this.maxInFlight = maxInFlight;
    this.maxInFlightBytes = maxInFlightBytes;
    this.retryMaxDelayMs = retryMaxDelayMs;
    metrics.inFlight(this::inFlight, this::inFlightBytes);
    this.thread = new Thread(this::run, "kerbside-writer");
  }

  public void start() {
    thread.start();
  }

  /**
   * Queues a message, waiting while the in-flight limits are reached.
   *
   * @throws InterruptedException when interrupted while waiting; the message was not queued
   */
  public void offer(InFlightMessage m) throws InterruptedException {
    int bytes = m.bytes();
    lock.lockInterruptibly();
    try {
      while (inFlight > 0
          && (inFlight >= maxInFlight || inFlightBytes + bytes > maxInFlightBytes)) {
        notFull.await();
      }
      queue.addLast(m);
      inFlight++;
      inFlightBytes += bytes;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** False while the last batch write failed and is being retried. */
  public boolean writerHealthy() {
    return writerHealthy;
  }

  public int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  long inFlightBytes() {
    lock.lock();
    try {
      return inFlightBytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes and acknowledges everything queued, then stops the writer. Gives up after {@code
   * timeout} (the database may be down): what is not committed then is not acknowledged, and the
   * broker redelivers it to the next consumer.
   *
   * @return true when everything queued was committed
   */
  public boolean drainAndStop(Duration timeout) throws InterruptedException {
    running = false;
    lock.lock();
    try {
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    thread.join(timeout.toMillis());
    if (thread.isAlive()) {
      abandon = true;
      thread.interrupt();
      thread.join(5_000);
      return false;
    }
    return inFlight() == 0;
  }

  private void run() {
    try {
      while (true) {
        List<InFlightMessage> batch = takeBatch();
        if (batch.isEmpty()) {
          if (!running) {
            return;
          }
          continue;
        }
        WriteResult result = writeWithRetry(batch);
        if (result == null) {
          return;
        }
        for (InFlightMessage m : batch) {
          acks.ack(m.messageId(), m.qos(), m.connectionEpoch());
        }
        release(batch);
        account(batch, result);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error(
          "writer - stopped by an unexpected failure; unacknowledged messages will be redelivered",
          e);
      writerHealthy = false;
    }
  }

  private List<InFlightMessage> takeBatch() throws InterruptedException {
    List<InFlightMessage> batch = new ArrayList<>();
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (!running) {
          return batch;
        }
        notEmpty.await(200, TimeUnit.MILLISECONDS);
      }
      long deadline = System.nanoTime() + batchMaxDelayNanos;
      while (batch.size() < batchSize) {
        InFlightMessage m = queue.pollFirst();
        if (m != null) {
          batch.add(m);
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !running) {
          break;
        }
        // Wait for more only while the stream keeps coming: a pause means the broker has sent
        // what it may (its in-flight window may be small) and waits for acknowledgements.
        int before = batch.size();
        notEmpty.awaitNanos(Math.min(left, STREAM_PAUSE_NANOS));
        if (queue.isEmpty() && batch.size() == before) {
          break;
        }
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private WriteResult writeWithRetry(List<InFlightMessage> batch) throws InterruptedException {
    List<DecodedMessage> decoded = new ArrayList<>(batch.size());
    for (InFlightMessage m : batch) {
      decoded.add(m.decoded());
    }
    long delayMs = 100;
    int attempt = 0;
    while (true) {
      long start = System.nanoTime();
      try {
        WriteResult result = writeOnce(decoded);
        metrics.batchWrite().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (!writerHealthy) {
          LOG.info("writer - database writes succeed again after {} attempts", attempt + 1);
        }
        writerHealthy = true;
        return result;
      } catch (SQLException e) {
        attempt++;
        metrics.writeFailed();
        writerHealthy = false;
        if (abandon) {
          return null;
        }
        if (attempt == 1 || attempt % 10 == 0) {
          LOG.warn(
              "writer - batch of {} messages failed (attempt {}), retrying in {} ms: {}",
              batch.size(),
              attempt,
              delayMs,
              e.getMessage());
        }
        Thread.sleep(delayMs);
        delayMs = Math.min(delayMs * 2, retryMaxDelayMs);
      }
    }
  }

  /**
   * One attempt. A batch the database refuses for its content (not for an outage) is written again
   * message by message, so that one bad message is dead-lettered instead of blocking the stream.
   */
  private WriteResult writeOnce(List<DecodedMessage> decoded) throws SQLException {
    try {
      return writer.write(decoded);
    } catch (SQLException e) {
      if (!ReadingBatchWriter.isContentError(e)) {
        throw e;
      }
      LOG.warn(
          "writer - database refused a batch of {} messages ({}); writing them one by one",
          decoded.size(),
          e.getMessage());
      return writer.writeOneByOne(decoded);
    }
  }

  private void release(List<InFlightMessage> batch) {
    lock.lock();
    try {
      for (InFlightMessage m : batch) {
        inFlight--;
        inFlightBytes -= m.bytes();
      }
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void account(List<InFlightMessage> batch, WriteResult result) {
    metrics.batch(batch.size());
    metrics.written(result.stored(), result.duplicates());
    metrics.sequences(result.sequences());
    for (Rejection r : result.rejections()) {
      metrics.rejected(r.reason());
    }
    for (Reading r : result.storedReadings()) {
      metrics.readingAge(Duration.between(r.at(), result.committedAt()));
    }
  }
}
