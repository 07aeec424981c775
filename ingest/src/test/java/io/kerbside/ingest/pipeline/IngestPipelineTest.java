package io.kerbside.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.core.CouncilRef;
import io.kerbside.ingest.IngestMetrics;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.RawMessage;
import io.kerbside.ingest.store.BatchStore;
import io.kerbside.ingest.store.SequenceTally;
import io.kerbside.ingest.store.WriteResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.VertxExtension;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pipeline on a real Vert.x with a fake store and a fake acknowledger: no broker, no database.
 * Messages are offered from a thread of the test's own, as the MQTT client's thread offers them.
 */
@ExtendWith(VertxExtension.class)
class IngestPipelineTest {
  private static final CouncilRef COUNCIL = new CouncilRef(1, "default");
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private Vertx vertx;
  private Context context;
  private WorkerExecutor writerThreads;
  private final FakeStore store = new FakeStore();
  private final FakeAcks acks = new FakeAcks();
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private final ExecutorService mqttThread = Executors.newSingleThreadExecutor();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.writerThreads = vertx.createSharedWorkerExecutor("test-writer", 1);
  }

  @AfterEach
  void tearDown() {
    mqttThread.shutdownNow();
    store.release();
  }

  private IngestPipeline pipeline(int batchSize, long delayMs, int maxInFlight, long maxBytes) {
    return new IngestPipeline(
        context,
        writerThreads,
        store,
        new IngestMetrics(new SimpleMeterRegistry()),
        acks,
        new IngestPipeline.Limits(
            batchSize, Duration.ofMillis(delayMs), maxInFlight, maxBytes, Duration.ofMillis(200)),
        "test",
        fatal::set);
  }

  private static InFlightMessage message(int id, int bytes) {
    RawMessage raw =
        new RawMessage(
            COUNCIL, PayloadFormat.NATIVE, "t/bin/b" + id, new byte[bytes], Instant.EPOCH);
    return new InFlightMessage(new DecodedMessage(raw, List.of(), List.of()), id, 1, 0);
  }

  /** Offers messages 1..n from the test's MQTT thread, in order. */
  private Future<?> offer(IngestPipeline p, int from, int to, int bytes) {
    return mqttThread.submit(
        () -> {
          for (int i = from; i <= to; i++) {
            p.offer(message(i, bytes));
          }
          return null;
        });
  }

  private <T> T onContext(java.util.concurrent.Callable<T> work) throws Exception {
    java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            f.complete(work.call());
          } catch (Exception e) {
            f.completeExceptionally(e);
          }
        });
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void acknowledgesOnlyAfterCommitAndInArrivalOrder() throws Exception {
    store.holdCommits();
    IngestPipeline p = pipeline(10, 0, 1000, 1 << 20);
    offer(p, 1, 25, 10).get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> store.attempts.get() >= 1);
    assertThat(acks.ids).as("nothing is acknowledged before its commit").isEmpty();
    assertThat(p.inFlight()).isEqualTo(25);

    store.release();
    await().atMost(PATIENCE).until(() -> acks.ids.size() == 25);
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      expected.add(i);
    }
    assertThat(acks.ids).containsExactlyElementsOf(expected);
    assertThat(store.committedIds()).containsExactlyElementsOf(expected);
    assertThat(p.inFlight()).isZero();
  }

  @Test
  void acknowledgesNothingWhileCommitsFailAndEverythingOnceTheyCommit() throws Exception {
    store.failNext(3, new SQLTransientConnectionException("connection refused", "08001"));
    IngestPipeline p = pipeline(100, 0, 1000, 1 << 20);
    offer(p, 1, 5, 10).get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> store.attempts.get() >= 2);
    assertThat(acks.ids).isEmpty();
    assertThat(p.writerHealthy()).isFalse();

    await().atMost(PATIENCE).until(() -> acks.ids.size() == 5);
    assertThat(acks.ids).containsExactly(1, 2, 3, 4, 5);
    // three failed attempts, then one commit per batch (the first message may go alone)
    assertThat(store.attempts.get() - store.batchSizes.size()).isEqualTo(3);
    assertThat(p.writerHealthy()).isTrue();
  }

  @Test
  void writesABatchTheDatabaseRefusesForItsContentMessageByMessage() throws Exception {
    store.failNext(1, new SQLException("value too long", "22001"));
    IngestPipeline p = pipeline(100, 0, 1000, 1 << 20);
    offer(p, 1, 3, 10).get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> acks.ids.size() == 3);
    assertThat(store.oneByOne.get()).isEqualTo(1);
  }

  @Test
  void writesWhatArrivedDuringACommitOnceItCompletesWithoutAFurtherArrival() throws Exception {
    store.holdCommits();
    IngestPipeline p = pipeline(100, 0, 1000, 1 << 20);
    offer(p, 1, 1, 10).get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> store.attempts.get() == 1);

    // these arrive while the first commit runs; nothing arrives after it
    offer(p, 2, 20, 10).get(10, TimeUnit.SECONDS);
    store.release();

    await().atMost(PATIENCE).until(() -> acks.ids.size() == 20);
    assertThat(store.batchSizes).containsExactly(1, 19);
  }

  @Test
  void anArrivalWakesAPipelineThatHasCaughtUp() throws Exception {
    IngestPipeline p = pipeline(100, 50, 1000, 1 << 20);
    for (int i = 1; i <= 20; i++) {
      offer(p, i, i, 10).get(10, TimeUnit.SECONDS);
      int expected = i;
      await().atMost(PATIENCE).until(() -> acks.ids.size() == expected);
    }
    assertThat(store.batchSizes).hasSize(20);
  }

  @Test
  void losesNoMessageToBurstsAndPausesOfEveryLength() throws Exception {
    IngestPipeline p = pipeline(16, 1, 64, 1 << 20);
    java.util.Random random = new java.util.Random(42);
    int total = 5_000;
    Future<?> offering =
        mqttThread.submit(
            () -> {
              int i = 0;
              while (i < total) {
                int burst = 1 + random.nextInt(50);
                for (int k = 0; k < burst && i < total; k++) {
                  p.offer(message(++i, 10));
                }
                int pause = random.nextInt(4);
                if (pause > 0) {
                  Thread.sleep(pause);
                }
              }
              return null;
            });
    offering.get(30, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> acks.ids.size() == total);
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      expected.add(i);
    }
    assertThat(acks.ids).containsExactlyElementsOf(expected);
    assertThat(p.inFlight()).isZero();
  }

  @Test
  void blocksTheMqttThreadAtTheMessageLimitUntilACommitFreesRoom() throws Exception {
    store.holdCommits();
    IngestPipeline p = pipeline(100, 0, 5, 1 << 20);
    Future<?> offering = offer(p, 1, 8, 10);

    await().atMost(PATIENCE).until(() -> p.inFlight() == 5);
    Thread.sleep(200);
    assertThat(offering).as("the sixth offer waits").isNotDone();
    assertThat(p.inFlight()).isEqualTo(5);

    store.release();
    offering.get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> acks.ids.size() == 8);
  }

  @Test
  void blocksTheMqttThreadAtTheByteLimit() throws Exception {
    store.holdCommits();
    IngestPipeline p = pipeline(100, 0, 1000, 2_500);
    Future<?> offering = offer(p, 1, 4, 1_000);

    await().atMost(PATIENCE).until(() -> p.inFlight() == 2);
    Thread.sleep(200);
    assertThat(offering).isNotDone();
    assertThat(p.inFlightBytes()).isEqualTo(2_000);

    store.release();
    offering.get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> acks.ids.size() == 4);
  }

  @Test
  void cutsBatchesAtTheBatchSize() throws Exception {
    store.holdCommits();
    IngestPipeline p = pipeline(4, 1_000, 1000, 1 << 20);
    offer(p, 1, 10, 10).get(10, TimeUnit.SECONDS);
    store.release();

    await().atMost(PATIENCE).until(() -> acks.ids.size() == 10);
    assertThat(store.batchSizes).allMatch(n -> n <= 4);
    assertThat(store.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
  }

  @Test
  void cutsABatchAtAPauseInTheStreamWithoutWaitingForTheDelay() throws Exception {
    IngestPipeline p = pipeline(1000, 60_000, 1000, 1 << 20);
    offer(p, 1, 3, 10).get(10, TimeUnit.SECONDS);

    // the delay is a minute; a pause of a few ms cuts the batch long before
    await().atMost(Duration.ofSeconds(5)).until(() -> acks.ids.size() == 3);
    assertThat(store.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
  }

  @Test
  void cutsABatchAtItsDelayWhileMessagesKeepComing() throws Exception {
    IngestPipeline p = pipeline(100_000, 150, 100_000, 1 << 30);
    // a stream without pauses for about a second
    Future<?> streaming =
        mqttThread.submit(
            () -> {
              long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000);
              int i = 0;
              while (System.nanoTime() < end) {
                p.offer(message(++i, 10));
                Thread.onSpinWait();
              }
              return i;
            });
    int sent = (Integer) streaming.get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> acks.ids.size() == sent);
    assertThat(store.batchSizes.size())
        .as("a one-second stream is cut about every 150 ms, not held for one batch")
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void writesWhatWaitedThroughACommitForTheDelayAsSoonAsTheCommitCompletes() throws Exception {
    IngestPipeline p = pipeline(100_000, 1_000, 100_000, 1 << 30);
    store.holdCommits();
    offer(p, 1, 1, 10).get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> store.attempts.get() == 1);

    // a stream without pauses, about 50,000 messages a second, that outlasts the held commit
    AtomicInteger sent = new AtomicInteger(1);
    Future<?> streaming =
        mqttThread.submit(
            () -> {
              long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3_000);
              while (System.nanoTime() < end) {
                p.offer(message(sent.incrementAndGet(), 10));
                long next = System.nanoTime() + 20_000;
                while (System.nanoTime() < next) {
                  Thread.onSpinWait();
                }
              }
              return null;
            });
    // the commit runs longer than the delay: what queued behind it has waited long enough
    Thread.sleep(1_200);
    store.release();
    // the next batch is written when the commit completes, not a delay later
    await()
        .alias("the batch that waited through the commit")
        .atMost(Duration.ofMillis(600))
        .until(() -> store.attempts.get() >= 2);

    streaming.get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> acks.ids.size() == sent.get());
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= sent.get(); i++) {
      expected.add(i);
    }
    assertThat(acks.ids).containsExactlyElementsOf(expected);
  }

  @Test
  void drainCommitsEverythingQueuedWithoutWaitingForTheDelay() throws Exception {
    IngestPipeline p = pipeline(1000, 60_000, 1000, 1 << 20);
    store.holdCommits();
    offer(p, 1, 20, 10).get(10, TimeUnit.SECONDS);
    store.release();

    boolean clean =
        onContext(() -> p.drain(Duration.ofSeconds(5)))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(clean).isTrue();
    assertThat(acks.ids).hasSize(20);
    assertThat(p.inFlight()).isZero();
  }

  @Test
  void drainGivesUpWhenTheDatabaseStaysAwayAndAcknowledgesNothingUncommitted() throws Exception {
    store.failNext(Integer.MAX_VALUE, new SQLTransientConnectionException("down", "08001"));
    IngestPipeline p = pipeline(100, 0, 1000, 1 << 20);
    offer(p, 1, 5, 10).get(10, TimeUnit.SECONDS);
    await().atMost(PATIENCE).until(() -> store.attempts.get() >= 1);

    boolean clean =
        onContext(() -> p.drain(Duration.ofMillis(500)))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(clean).isFalse();
    int attempts = store.attempts.get();
    Thread.sleep(600);
    assertThat(store.attempts.get())
        .as("no more attempts once abandoned")
        .isLessThanOrEqualTo(attempts + 1);
    assertThat(acks.ids).isEmpty();
    // an offer after giving up is not queued: the broker redelivers it
    offer(p, 6, 6, 10).get(10, TimeUnit.SECONDS);
    assertThat(p.inFlight()).isEqualTo(5);
  }

  @Test
  void anUnexpectedWriterFailureStopsThePipelineAndIsReportedOnce() throws Exception {
    store.failNext(1, new IllegalStateException("bug in the writer"));
    IngestPipeline p = pipeline(100, 0, 1000, 1 << 20);
    offer(p, 1, 5, 10).get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> fatal.get() != null);
    assertThat(fatal.get()).hasMessage("bug in the writer");
    assertThat(p.failure()).isSameAs(fatal.get());
    assertThat(p.writerHealthy()).isFalse();
    offer(p, 6, 7, 10).get(10, TimeUnit.SECONDS);
    Thread.sleep(300);
    assertThat(acks.ids).isEmpty();
    assertThat(store.attempts.get()).isEqualTo(1);
  }

  @Test
  void tellsHowLongACommitHasBeenRunning() throws Exception {
    store.holdCommits();
    IngestPipeline p = pipeline(100, 0, 1000, 1 << 20);
    assertThat(p.commitRunningFor()).isZero();
    offer(p, 1, 1, 10).get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> store.attempts.get() == 1);
    Thread.sleep(300);
    assertThat(p.commitRunningFor()).isGreaterThanOrEqualTo(Duration.ofMillis(300));

    store.release();
    await().atMost(PATIENCE).until(() -> acks.ids.size() == 1);
    assertThat(p.commitRunningFor()).isZero();
  }

  @Test
  void commitsOnWorkerThreadsNeverOnTheEventLoop() throws Exception {
    IngestPipeline p = pipeline(100, 0, 1000, 1 << 20);
    offer(p, 1, 30, 10).get(10, TimeUnit.SECONDS);

    await().atMost(PATIENCE).until(() -> acks.ids.size() == 30);
    assertThat(store.threads).isNotEmpty().allMatch(name -> name.startsWith("test-writer"));
    assertThat(acks.onEventLoop).isTrue();
  }

  /** Records what it commits; can hold commits, fail some, or throw. */
  private static final class FakeStore implements BatchStore {
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger oneByOne = new AtomicInteger();
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    private final List<DecodedMessage> committed = Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Exception failWith;

    void holdCommits() {
      hold = new CountDownLatch(1);
    }

    void release() {
      hold.countDown();
    }

    void failNext(int n, Exception e) {
      failWith = e;
      failures.set(n);
    }

    List<Integer> committedIds() {
      List<Integer> ids = new ArrayList<>();
      synchronized (committed) {
        for (DecodedMessage m : committed) {
          ids.add(Integer.parseInt(m.raw().topic().substring("t/bin/b".length())));
        }
      }
      return ids;
    }

    @Override
    public WriteResult write(List<DecodedMessage> batch) throws SQLException {
      attempts.incrementAndGet();
      threads.add(Thread.currentThread().getName());
      try {
        hold.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        if (failWith instanceof SQLException s) {
          throw s;
        }
        throw (RuntimeException) failWith;
      }
      return commit(batch);
    }

    @Override
    public WriteResult writeOneByOne(List<DecodedMessage> batch) {
      oneByOne.incrementAndGet();
      return commit(batch);
    }

    private WriteResult commit(List<DecodedMessage> batch) {
      batchSizes.add(batch.size());
      committed.addAll(batch);
      return new WriteResult(0, 0, List.of(), Instant.now(), List.of(), new SequenceTally());
    }

    @Override
    public boolean isContentError(SQLException e) {
      return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }
  }

  private static final class FakeAcks implements Acknowledger {
    final List<Integer> ids = Collections.synchronizedList(new ArrayList<>());
    volatile boolean onEventLoop = true;

    @Override
    public void ack(int messageId, int qos, long connectionEpoch) {
      if (!Context.isOnEventLoopThread()) {
        onEventLoop = false;
      }
      ids.add(messageId);
    }
  }
}
