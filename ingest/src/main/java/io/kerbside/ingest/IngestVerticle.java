package io.kerbside.ingest;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.SafeUrl;
import io.kerbside.core.runtime.FailureListener;
import io.kerbside.ingest.decode.MessageDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.mqtt.PahoSubscriber;
import io.kerbside.ingest.pipeline.IngestPipeline;
import io.kerbside.ingest.store.BatchStore;
import io.kerbside.ingest.store.SubscribedFilters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection of the ingest role and its pipeline: Paho's thread decodes and hands messages
 * to the pipeline; this verticle's event loop cuts batches and acknowledges them; the worker pool
 * {@code kerbside-ingest-writer} commits them. Several instances (one per connection) share the
 * pool and, through a {@code $share} group, the stream.
 *
 * <p>{@link #start} records the filters about to be subscribed, connects (retrying with back-off
 * until the broker answers; bad credentials end the start), then unsubscribes filters an earlier
 * run of this client id subscribed to and that are no longer configured. {@link #stop} stops taking
 * messages, commits and acknowledges what it holds (for up to 20 s), then disconnects.
 */
final class IngestVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);
  private static final long MAX_CONNECT_DELAY_MS = 30_000;

  private final IngestConfig config;
  private final int connection;
  private final Map<String, CouncilRef> councils;
  private final Map<PayloadFormat, MessageDecoder> decoders;
  private final BatchStore store;
  private final SubscribedFilters subscribedFilters;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final FailureListener failures;

  private WorkerExecutor writerThreads;
  private WorkerExecutor mqttThreads;
  private PahoSubscriber subscriber;
  private IngestPipeline pipeline;
  private volatile boolean stopping;
  private long stallTimer = -1;
  private boolean reportedStall;

  IngestVerticle(
      IngestConfig config,
      int connection,
      Map<String, CouncilRef> councils,
      Map<PayloadFormat, MessageDecoder> decoders,
      BatchStore store,
      SubscribedFilters subscribedFilters,
      IngestMetrics metrics,
      Clock clock,
      FailureListener failures) {
    this.config = config;
    this.connection = connection;
    this.councils = councils;
    this.decoders = decoders;
    this.store = store;
    this.subscribedFilters = subscribedFilters;
    this.metrics = metrics;
    this.clock = clock;
    this.failures = failures;
  }

  /** {@code /ready} name of this connection's writer, e.g. {@code writer-1}. */
  String writerName() {
    return "writer-" + connection;
  }

  /** {@code /ready} name of this connection's broker connection, e.g. {@code mqtt-1}. */
  String mqttName() {
    return "mqtt-" + connection;
  }

  @Override
  public Future<?> start() throws MqttException {
    String clientId = config.clientId(connection);
    writerThreads =
        vertx.createSharedWorkerExecutor("kerbside-ingest-writer", config.connections());
    mqttThreads = vertx.createSharedWorkerExecutor("kerbside-ingest-mqtt", config.connections());
    subscriber = new PahoSubscriber(config, clientId, councils, decoders, metrics, clock);
    pipeline =
        new IngestPipeline(
            context,
            writerThreads,
            store,
            metrics,
            subscriber,
            new IngestPipeline.Limits(
                config.batchSize(),
                Duration.ofMillis(config.batchMaxDelayMs()),
                config.maxInFlight(),
                config.maxInFlightBytes(),
                Duration.ofMillis(config.writeRetryMaxDelayMs())),
            clientId,
            cause -> failures.failed("ingest." + writerName(), cause));
    subscriber.attach(pipeline);
    subscriber.onRefusal(cause -> failures.failed("ingest." + mqttName(), cause));
    stallTimer =
        vertx.setPeriodic(
            1_000,
            id -> {
              watchForStall(id);
              subscriber.resubscribeIfDue();
            });
    List<String> filters = config.subscriptions().stream().map(config::brokerFilter).toList();
    return mqttThreads
        .executeBlocking(() -> recordSubscriptions(clientId, filters), false)
        .compose(stale -> connect(500).map(v -> stale))
        .compose(
            stale -> Future.fromCompletionStage(subscriber.subscribed(), context).map(v -> stale))
        .compose(stale -> mqttThreads.executeBlocking(() -> unsubscribe(clientId, stale), false))
        .onSuccess(
            v ->
                LOG.info(
                    "{} - consuming {}, batches up to {}", clientId, filters, config.batchSize()));
  }

  /**
   * Records the filters about to be subscribed before subscribing, so that a crash in between
   * cannot leave a subscription nobody knows of, and returns the filters an earlier run of this
   * client id subscribed to that are no longer configured.
   */
  private Set<String> recordSubscriptions(String clientId, List<String> filters)
      throws SQLException {
    SortedSet<String> stale = subscribedFilters.recorded(clientId);
    stale.removeAll(filters);
    subscribedFilters.record(clientId, filters);
    return stale;
  }

  private Void unsubscribe(String clientId, Set<String> stale) {
    Set<String> done = subscriber.unsubscribe(stale);
    try {
      subscribedFilters.forget(clientId, done);
    } catch (SQLException e) {
      // Unsubscribing again at the next start is harmless, so this need not stop ingest.
      LOG.warn(
          "{} - could not forget the unsubscribed filters {}; the next start unsubscribes them again",
          clientId,
          done,
          e);
    }
    return null;
  }

  /** Connects, retrying with a timer-driven back-off until the broker answers or refuses us. */
  private Future<Void> connect(long delayMs) {
    Promise<Void> connected = Promise.promise();
    mqttThreads
        .executeBlocking(
            () -> {
              subscriber.connect();
              return null;
            },
            false)
        .onSuccess(v -> connected.complete())
        .onFailure(
            e -> {
              if (stopping || !(e instanceof MqttException m) || PahoSubscriber.cannotRetry(m)) {
                connected.fail(e);
                return;
              }
              LOG.warn(
                  "{} - cannot connect to {} ({}), retrying in {} ms",
                  subscriber.clientId(),
                  SafeUrl.of(config.mqttUrl()),
                  e.getMessage(),
                  delayMs);
              vertx.setTimer(
                  delayMs,
                  id -> connect(Math.min(delayMs * 2, MAX_CONNECT_DELAY_MS)).onComplete(connected));
            });
    return connected.future();
  }

  /** Whether the connection is up; false before start and after stop. */
  boolean connected() {
    return subscriber != null && subscriber.connected();
  }

  /**
   * Whether the writer commits: false while a batch is being retried, while a commit has run longer
   * than {@link IngestConfig#stallSeconds()} (a database that stops answering), and after a
   * failure.
   */
  boolean writerHealthy() {
    return pipeline == null || (pipeline.writerHealthy() && !stalled());
  }

  private boolean stalled() {
    return pipeline.commitRunningFor().toSeconds() >= config.stallSeconds();
  }

  /** Logs once when a commit stalls and once when commits go through again. */
  private void watchForStall(long id) {
    boolean stalled = stalled();
    if (stalled && !reportedStall) {
      LOG.warn(
          "{} - a batch has been committing for {} s: the database does not answer ({} messages"
              + " in flight); /ready reports the database DOWN",
          subscriber.clientId(),
          pipeline.commitRunningFor().toSeconds(),
          pipeline.inFlight());
    } else if (!stalled && reportedStall) {
      LOG.info("{} - the database answers again", subscriber.clientId());
    }
    reportedStall = stalled;
  }

  int inFlight() {
    return pipeline == null ? 0 : pipeline.inFlight();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(stallTimer);
    if (subscriber == null) {
      return Future.succeededFuture();
    }
    subscriber.stopConsuming();
    return pipeline
        .drain(DRAIN_TIMEOUT)
        .recover(e -> Future.succeededFuture(false))
        .compose(
            clean -> {
              LOG.info(
                  "{} - stopped{}",
                  subscriber.clientId(),
                  clean
                      ? ", every received message committed and acknowledged"
                      : "; uncommitted messages stay unacknowledged and will be redelivered");
              return mqttThreads.executeBlocking(
                  () -> {
                    subscriber.close();
                    return null;
                  },
                  false);
            })
        .eventually(() -> Future.join(writerThreads.close(), mqttThreads.close()));
  }
}
