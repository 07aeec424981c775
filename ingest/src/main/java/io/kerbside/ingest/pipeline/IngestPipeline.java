package io.kerbside.ingest.pipeline;

import io.kerbside.ingest.IngestMetrics;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.Reading;
import io.kerbside.ingest.decode.Rejection;
import io.kerbside.ingest.store.BatchStore;
import io.kerbside.ingest.store.WriteResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded hand-off between one MQTT connection and the database, driven by a Vert.x context.
 *
 * <p>{@link #offer} runs on the MQTT client's thread and blocks while the in-flight limits
 * (messages and bytes) are reached: that stalls the client's reader, so the broker keeps what the
 * database cannot take yet (backpressure) instead of this process buffering without bound.
 *
 * <p>Everything else runs on the owning context (an event loop): it cuts a batch, commits it on the
 * writer's {@link WorkerExecutor} (JDBC never runs on the event loop), retries a batch whose commit
 * failed after an exponential back-off (a timer, not a sleeping thread) until it commits, and only
 * then acknowledges its messages, in arrival order. One batch is written at a time.
 *
 * <p>A batch is cut when it is full, when {@link Limits#batchMaxDelay()} has passed since its first
 * message arrived, or at the first pause in the stream (no message for {@value #PAUSE_MS} ms): a
 * broker with a small in-flight window sends nothing more until it is acknowledged. With a delay of
 * 0 it is cut at once. The time a message spends queued behind a running commit counts towards the
 * delay: what waited through a commit as long as the delay is written as soon as that commit
 * completes, so at moderate load commits are small and follow each other, and no message waits for
 * a fuller batch longer than the delay.
 *
 * <p>An unexpected failure of the writer (anything but an {@link SQLException}) stops the pipeline:
 * nothing more is written or acknowledged, {@link #failure()} says why and the handler given to the
 * constructor is called, once.
 */
public final class IngestPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

  /** A gap between messages this long ends the wait for a fuller batch. */
  static final long PAUSE_MS = 2;

  private static final long FIRST_RETRY_DELAY_MS = 100;

  /**
   * How the pipeline cuts batches and bounds what it holds.
   *
   * @param batchSize most messages committed in one transaction
   * @param batchMaxDelay longest wait for a batch to fill while messages keep arriving, counted
   *     from the arrival of its first message (a commit running meanwhile included); zero writes
   *     whatever is waiting at once
   * @param maxInFlight most messages received and not yet committed
   * @param maxInFlightBytes the same limit in payload bytes
   * @param retryMaxDelay longest back-off between attempts to commit a failed batch
   */
  public record Limits(
      int batchSize,
      Duration batchMaxDelay,
      int maxInFlight,
      long maxInFlightBytes,
      Duration retryMaxDelay) {
    public Limits {
      Objects.requireNonNull(batchMaxDelay, "batchMaxDelay");
      Objects.requireNonNull(retryMaxDelay, "retryMaxDelay");
      if (batchSize < 1 || maxInFlight < 1 || maxInFlightBytes < 1) {
        throw new IllegalArgumentException("batch size and in-flight limits must be positive");
      }
      if (batchMaxDelay.isNegative() || retryMaxDelay.toMillis() < FIRST_RETRY_DELAY_MS) {
        throw new IllegalArgumentException(
            "batch delay must not be negative, retry delay at least " + FIRST_RETRY_DELAY_MS);
      }
    }
  }

  private final Context context;
  private final WorkerExecutor writerThreads;
  private final BatchStore store;
  private final IngestMetrics metrics;
  private final Acknowledger acks;
  private final Limits limits;
  private final String name;
  private final Consumer<Throwable> onFatal;

  // Shared with the MQTT client's thread: the queue, the in-flight counts, the arrivals and
  // whether the context waits to be told of the next one, under the lock.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<InFlightMessage> queue = new ArrayDeque<>();
  private int inFlight;
  private long inFlightBytes;
  private boolean closed;
  private long arrivals;

  /**
   * {@link System#nanoTime()} when the message at the head of the queue arrived, or earlier: it is
   * set only when a message arrives to an empty queue, and messages left behind by a full batch
   * count as having waited since the batch's first one.
   */
  private long headArrivedNanos;

  /**
   * True while the context neither writes nor waits for a batch to fill, and so looks at the queue
   * again only when an arrival wakes it. Otherwise a commit's completion or the batch timer brings
   * it back to the queue, and arrivals need not wake it: at full speed that saves a task on the
   * event loop (and often a thread wake-up) per message.
   */
  private boolean waitingForArrival = true;

  private volatile boolean writerHealthy = true;
  private volatile Throwable failure;

  /** When the commit in progress started ({@link System#nanoTime()}), or 0 when none runs. */
  private volatile long commitStartedNanos;

  // Owned by the context.
  private boolean writing;
  private long batchTimer = -1;
  private long batchDeadlineNanos;
  private long arrivalsSeen;
  private boolean draining;
  private boolean abandoned;
  private Promise<Boolean> drained;

  /**
   * @param context the context every step but {@link #offer} runs on
   * @param writerThreads where batches are committed
   * @param name a prefix for log lines, e.g. the MQTT client id
   * @param onFatal called once, on the context, when the writer fails unexpectedly
   */
  public IngestPipeline(
      Context context,
      WorkerExecutor writerThreads,
      BatchStore store,
      IngestMetrics metrics,
      Acknowledger acks,
      Limits limits,
      String name,
      Consumer<Throwable> onFatal) {
    this.context = context;
    this.writerThreads = writerThreads;
    this.store = store;
    this.metrics = metrics;
    this.acks = acks;
    this.limits = limits;
    this.name = name;
    this.onFatal = onFatal;
    metrics.inFlight(this::inFlight, this::inFlightBytes);
  }

  /**
   * Queues a message, waiting while the in-flight limits are reached. Call from any thread but the
   * pipeline's context. After {@link #drain} gave up, a message is not queued (and so never
   * acknowledged: the broker redelivers it).
   *
   * @throws InterruptedException when interrupted while waiting; the message was not queued
   */
  public void offer(InFlightMessage m) throws InterruptedException {
    int bytes = m.bytes();
    boolean wake;
    lock.lockInterruptibly();
    try {
      while (!closed
          && inFlight > 0
          && (inFlight >= limits.maxInFlight()
              || inFlightBytes + bytes > limits.maxInFlightBytes())) {
        notFull.await();
      }
      if (closed) {
        return;
      }
      if (queue.isEmpty()) {
        headArrivedNanos = System.nanoTime();
      }
      queue.addLast(m);
      inFlight++;
      inFlightBytes += bytes;
      arrivals++;
      wake = waitingForArrival;
      waitingForArrival = false;
    } finally {
      lock.unlock();
    }
    if (wake) {
      context.runOnContext(v -> onArrival());
    }
  }

  /** False while the last batch could not be committed and is being retried, or after a failure. */
  public boolean writerHealthy() {
    return writerHealthy;
  }

  /**
   * How long the commit in progress has been running; zero when none runs. A database that stops
   * answering shows here long before anything fails.
   */
  public Duration commitRunningFor() {
    long started = commitStartedNanos;
    return started == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started);
  }

  /** Why the pipeline stopped, or null while it runs. */
  public Throwable failure() {
    return failure;
  }

  /** Messages received and not yet committed and acknowledged. */
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
   * Commits and acknowledges everything queued, without waiting for fuller batches. Gives up after
   * {@code timeout} (the database may be down): what is not committed then is never acknowledged,
   * and the broker redelivers it to the next consumer. Call on the pipeline's context.
   *
   * @return true when everything received was committed and acknowledged
   */
  public Future<Boolean> drain(Duration timeout) {
    if (drained != null) {
      return drained.future();
    }
    draining = true;
    drained = Promise.promise();
    long timer =
        context
            .owner()
            .setTimer(
                Math.max(1, timeout.toMillis()),
                id -> {
                  if (!drained.future().isComplete()) {
                    abandon();
                    drained.tryComplete(false);
                  }
                });
    drained.future().onComplete(r -> context.owner().cancelTimer(timer));
    cutNow();
    checkDrained();
    return drained.future();
  }

  private void abandon() {
    abandoned = true;
    lock.lock();
    try {
      closed = true;
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void checkDrained() {
    if (drained != null && !writing && queuedCount() == 0) {
      drained.tryComplete(inFlight() == 0);
    }
  }

  private int queuedCount() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Messages queued, or 0 after recording that the next arrival must wake the context. */
  private int queuedOrWait() {
    lock.lock();
    try {
      int queued = queue.size();
      if (queued == 0) {
        waitingForArrival = true;
      }
      return queued;
    } finally {
      lock.unlock();
    }
  }

  private long headArrivedNanos() {
    lock.lock();
    try {
      return headArrivedNanos;
    } finally {
      lock.unlock();
    }
  }

  private long arrivals() {
    lock.lock();
    try {
      return arrivals;
    } finally {
      lock.unlock();
    }
  }

  private void onArrival() {
    if (writing || batchTimer >= 0 || stopped()) {
      return;
    }
    int queued = queuedOrWait();
    if (queued == 0) {
      return;
    }
    if (draining || queued >= limits.batchSize() || limits.batchMaxDelay().isZero()) {
      writeNext();
      return;
    }
    long now = System.nanoTime();
    batchDeadlineNanos = headArrivedNanos() + limits.batchMaxDelay().toNanos();
    if (now - batchDeadlineNanos >= 0) {
      writeNext();
      return;
    }
    arrivalsSeen = arrivals();
    long leftMs = TimeUnit.NANOSECONDS.toMillis(batchDeadlineNanos - now);
    batchTimer =
        context.owner().setTimer(Math.max(1, Math.min(PAUSE_MS, leftMs)), this::onBatchTimer);
  }

  private void onBatchTimer(long id) {
    batchTimer = -1;
    if (writing || stopped()) {
      return;
    }
    long now = System.nanoTime();
    long seen = arrivals();
    boolean paused = seen == arrivalsSeen;
    if (draining
        || paused
        || now - batchDeadlineNanos >= 0
        || queuedCount() >= limits.batchSize()) {
      writeNext();
      return;
    }
    arrivalsSeen = seen;
    long leftMs = TimeUnit.NANOSECONDS.toMillis(batchDeadlineNanos - now);
    batchTimer =
        context.owner().setTimer(Math.max(1, Math.min(PAUSE_MS, leftMs)), this::onBatchTimer);
  }

  /** Writes what is waiting now, without waiting for a fuller batch. */
  private void cutNow() {
    if (batchTimer >= 0) {
      context.owner().cancelTimer(batchTimer);
      batchTimer = -1;
    }
    if (!writing) {
      writeNext();
    }
  }

  private boolean stopped() {
    return abandoned || failure != null;
  }

  private void writeNext() {
    List<InFlightMessage> batch = new ArrayList<>();
    lock.lock();
    try {
      while (batch.size() < limits.batchSize() && !queue.isEmpty()) {
        batch.add(queue.pollFirst());
      }
      if (batch.isEmpty()) {
        waitingForArrival = true;
      }
    } finally {
      lock.unlock();
    }
    if (batch.isEmpty()) {
      checkDrained();
      return;
    }
    writing = true;
    List<DecodedMessage> decoded = new ArrayList<>(batch.size());
    for (InFlightMessage m : batch) {
      decoded.add(m.decoded());
    }
    attempt(batch, decoded, 1, FIRST_RETRY_DELAY_MS);
  }

  private void attempt(
      List<InFlightMessage> batch, List<DecodedMessage> decoded, int attempt, long delayMs) {
    long start = System.nanoTime();
    commitStartedNanos = start;
    writerThreads
        .executeBlocking(() -> writeOnce(decoded), false)
        .onComplete(
            r -> {
              commitStartedNanos = 0;
              if (r.succeeded()) {
                metrics.batchWrite().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                committed(batch, r.result(), attempt);
              } else if (r.cause() instanceof SQLException e) {
                failed(batch, decoded, attempt, delayMs, e);
              } else {
                fatal(r.cause());
              }
            });
  }

  /**
   * One attempt. A batch the database refuses for its content (not for an outage) is written again
   * message by message, so that one bad message is dead-lettered instead of blocking the stream.
   */
  private WriteResult writeOnce(List<DecodedMessage> decoded) throws SQLException {
    try {
      return store.write(decoded);
    } catch (SQLException e) {
      if (!store.isContentError(e)) {
        throw e;
      }
      LOG.warn(
          "{} - database refused a batch of {} messages ({}); writing them one by one",
          name,
          decoded.size(),
          e.getMessage());
      return store.writeOneByOne(decoded);
    }
  }

  private void committed(List<InFlightMessage> batch, WriteResult result, int attempt) {
    if (!writerHealthy) {
      LOG.info("{} - database writes succeed again after {} attempts", name, attempt);
    }
    writerHealthy = true;
    for (InFlightMessage m : batch) {
      acks.ack(m.messageId(), m.qos(), m.connectionEpoch());
    }
    release(batch);
    account(batch, result);
    writing = false;
    if (draining) {
      writeNext();
    } else {
      onArrival();
    }
    checkDrained();
  }

  private void failed(
      List<InFlightMessage> batch,
      List<DecodedMessage> decoded,
      int attempt,
      long delayMs,
      SQLException e) {
    metrics.writeFailed();
    writerHealthy = false;
    if (abandoned) {
      writing = false;
      return;
    }
    if (attempt == 1 || attempt % 10 == 0) {
      LOG.warn(
          "{} - batch of {} messages failed (attempt {}), retrying in {} ms: {}",
          name,
          batch.size(),
          attempt,
          delayMs,
          e.getMessage());
    }
    long next = Math.min(delayMs * 2, limits.retryMaxDelay().toMillis());
    context
        .owner()
        .setTimer(
            delayMs,
            id -> {
              if (abandoned) {
                writing = false;
                return;
              }
              attempt(batch, decoded, attempt + 1, next);
            });
  }

  private void fatal(Throwable cause) {
    writerHealthy = false;
    failure = cause;
    writing = false;
    LOG.error(
        "{} - writer stopped by an unexpected failure; unacknowledged messages will be redelivered",
        name,
        cause);
    abandon();
    if (drained != null) {
      drained.tryComplete(false);
    }
    onFatal.accept(cause);
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
    Instant committed = result.committedAt();
    for (Reading r : result.storedReadings()) {
      Instant at = r.at();
      metrics.readingAge(
          (committed.getEpochSecond() - at.getEpochSecond()) * 1_000_000_000L
              + (committed.getNano() - at.getNano()));
    }
  }
}
