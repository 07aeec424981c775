package io.kerbside.ingest;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.ReadingMaintenance;
import io.kerbside.core.db.ReadingRollups;
import io.kerbside.core.db.StorageLayout;
import io.kerbside.ingest.decode.ChirpStackDecoder;
import io.kerbside.ingest.decode.DeviceProfiles;
import io.kerbside.ingest.decode.MessageDecoder;
import io.kerbside.ingest.decode.NativeDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.SenmlDecoder;
import io.kerbside.ingest.decode.TtnUplinkDecoder;
import io.kerbside.ingest.mqtt.PahoSubscriber;
import io.kerbside.ingest.mqtt.Subscription;
import io.kerbside.ingest.pipeline.IngestPipeline;
import io.kerbside.ingest.store.ReadingBatchWriter;
import io.kerbside.ingest.store.SubscribedFilters;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest role: MQTT subscriptions in, committed readings and dead letters out. Start with
 * {@link #start}; {@link #close} stops consuming, commits and acknowledges what is in flight, then
 * disconnects.
 */
public final class IngestService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
  private static final long MAINTENANCE_PERIOD_MS = Duration.ofHours(1).toMillis();
  private static final long ROLLUP_PERIOD_MS = Duration.ofMinutes(1).toMillis();

  private final PahoSubscriber subscriber;
  private final IngestPipeline pipeline;
  private final Vertx vertx;
  private final long maintenanceTimer;
  private final long rollupTimer;

  private IngestService(
      PahoSubscriber subscriber,
      IngestPipeline pipeline,
      Vertx vertx,
      long maintenanceTimer,
      long rollupTimer) {
    this.subscriber = subscriber;
    this.pipeline = pipeline;
    this.vertx = vertx;
    this.maintenanceTimer = maintenanceTimer;
    this.rollupTimer = rollupTimer;
  }

  /**
   * Starts the role on an open, migrated database. Filters that this client id subscribed to in an
   * earlier run and that are no longer configured are unsubscribed once connected.
   *
   * @throws ConfigException when a subscription names a council that does not exist, or a device
   *     profile is invalid
   * @throws MqttException when the broker refuses the credentials
   */
  public static IngestService start(
      IngestConfig config, DataSource dataSource, MeterRegistry meters, Vertx vertx, Clock clock)
      throws SQLException, MqttException {
    DeviceProfiles profiles = DeviceProfiles.load(config.deviceProfilesDir());
    LOG.info("device profiles: {}", profiles.names());
    Map<String, CouncilRef> councils = resolveCouncils(config, new Councils(dataSource));
    SubscribedFilters subscribedFilters = new SubscribedFilters(dataSource);
    Set<String> staleFilters = recordSubscriptions(config, subscribedFilters);
    StorageLayout layout;
    try (Connection c = dataSource.getConnection()) {
      layout = StorageLayout.detect(c);
    }
    ReadingMaintenance maintenance =
        new ReadingMaintenance(dataSource, config.retentionDays(), clock);
    maintenance.run();
    ReadingRollups rollups = new ReadingRollups(dataSource, config.retentionDays(), clock);
    long timer =
        vertx.setPeriodic(
            MAINTENANCE_PERIOD_MS,
            id -> {
              vertx
                  .executeBlocking(maintenance::run, false)
                  .onSuccess(n -> LOG.info("maintenance - {} old partitions or chunks dropped", n))
                  .onFailure(e -> LOG.warn("maintenance - failed, retrying in an hour", e));
              vertx
                  .executeBlocking(rollups::refreshLate, false)
                  .onFailure(
                      e -> LOG.warn("rollups - late refresh failed, retrying in an hour", e));
            });
    // Dashboards read hourly rollups; the current hour is recomputed every minute, and the first
    // pass catches up with what was stored while this process was not running.
    AtomicBoolean caughtUp = new AtomicBoolean();
    long rollupTimer =
        vertx.setPeriodic(
            ROLLUP_PERIOD_MS,
            id ->
                vertx
                    .executeBlocking(
                        () ->
                            caughtUp.getAndSet(true)
                                ? rollups.refreshRecent()
                                : rollups.refreshLate(),
                        false)
                    .onFailure(e -> LOG.warn("rollups - refresh failed, retrying in a minute", e)));

    IngestMetrics metrics = new IngestMetrics(meters);
    Map<PayloadFormat, MessageDecoder> decoders = new EnumMap<>(PayloadFormat.class);
    decoders.put(PayloadFormat.NATIVE, new NativeDecoder(config.decodeLimits()));
    decoders.put(PayloadFormat.TTN, new TtnUplinkDecoder(config.decodeLimits(), profiles));
    decoders.put(PayloadFormat.CHIRPSTACK, new ChirpStackDecoder(config.decodeLimits(), profiles));
    decoders.put(PayloadFormat.SENML, new SenmlDecoder(config.decodeLimits()));
    PahoSubscriber subscriber = new PahoSubscriber(config, councils, decoders, metrics, clock);
    ReadingBatchWriter writer =
        new ReadingBatchWriter(
            dataSource,
            layout,
            maintenance,
            config.autoRegister(),
            config.lastSeenIntervalSeconds(),
            config.maxPayloadBytes(),
            clock);
    IngestPipeline pipeline =
        new IngestPipeline(
            writer,
            metrics,
            subscriber,
            config.batchSize(),
            config.batchMaxDelayMs(),
            config.maxInFlight(),
            config.maxInFlightBytes(),
            config.writeRetryMaxDelayMs());
    pipeline.start();
    try {
      subscriber.start(pipeline);
    } catch (MqttException e) {
      vertx.cancelTimer(timer);
      vertx.cancelTimer(rollupTimer);
      subscriber.close();
      try {
        pipeline.drainAndStop(Duration.ofSeconds(1));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      throw e;
    }
    forgetUnsubscribed(config, subscribedFilters, subscriber.unsubscribe(staleFilters));
    LOG.info(
        "ingest - consuming {} as {} into {} storage, batches up to {}",
        config.subscriptions(),
        config.mqttClientId(),
        layout.name().toLowerCase(java.util.Locale.ROOT),
        config.batchSize());
    return new IngestService(subscriber, pipeline, vertx, timer, rollupTimer);
  }

  /**
   * Records the filters about to be subscribed before subscribing, so that a crash in between
   * cannot leave a subscription nobody knows of, and returns the filters an earlier run of this
   * client id subscribed to that are no longer configured.
   */
  private static Set<String> recordSubscriptions(IngestConfig config, SubscribedFilters recorded)
      throws SQLException {
    List<String> filters = config.subscriptions().stream().map(config::brokerFilter).toList();
    SortedSet<String> stale = recorded.recorded(config.mqttClientId());
    stale.removeAll(filters);
    recorded.record(config.mqttClientId(), filters);
    return stale;
  }

  private static void forgetUnsubscribed(
      IngestConfig config, SubscribedFilters recorded, Set<String> unsubscribed) {
    try {
      recorded.forget(config.mqttClientId(), unsubscribed);
    } catch (SQLException e) {
      // Unsubscribing again at the next start is harmless, so this need not stop ingest.
      LOG.warn(
          "{} - could not forget the unsubscribed filters {}; the next start unsubscribes them again",
          config.mqttClientId(),
          unsubscribed,
          e);
    }
  }

  private static Map<String, CouncilRef> resolveCouncils(IngestConfig config, Councils councils)
      throws SQLException {
    Map<String, CouncilRef> bySlug = new HashMap<>();
    for (Subscription s : config.subscriptions()) {
      if (!bySlug.containsKey(s.councilSlug())) {
        CouncilRef ref =
            councils
                .find(s.councilSlug())
                .orElseThrow(
                    () ->
                        new ConfigException(
                            IngestConfig.SUBSCRIPTIONS
                                + " names council '"
                                + s.councilSlug()
                                + "', which does not exist (create it with: kerbside councils add "
                                + s.councilSlug()
                                + " \"Name\")"));
        bySlug.put(s.councilSlug(), ref);
      }
    }
    return Map.copyOf(bySlug);
  }

  /** Readiness by dependency: {@code mqtt} connected, {@code database} accepting writes. */
  public Map<String, Boolean> readiness() {
    Map<String, Boolean> r = new LinkedHashMap<>();
    r.put("mqtt", subscriber.connected());
    r.put("database", pipeline.writerHealthy());
    return r;
  }

  /** Messages received and not yet committed and acknowledged. */
  public int inFlight() {
    return pipeline.inFlight();
  }

  @Override
  public void close() {
    vertx.cancelTimer(maintenanceTimer);
    vertx.cancelTimer(rollupTimer);
    subscriber.stopConsuming();
    try {
      boolean clean = pipeline.drainAndStop(Duration.ofSeconds(20));
      LOG.info(
          "ingest - stopped{}",
          clean
              ? ", every received message committed and acknowledged"
              : "; uncommitted messages stay unacknowledged and will be redelivered");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      subscriber.close();
    }
  }
}
