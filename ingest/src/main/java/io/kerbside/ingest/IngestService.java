package io.kerbside.ingest;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.ReadingMaintenance;
import io.kerbside.core.db.ReadingRollups;
import io.kerbside.core.db.StorageLayout;
import io.kerbside.core.runtime.FailureListener;
import io.kerbside.ingest.decode.ChirpStackDecoder;
import io.kerbside.ingest.decode.DeviceProfiles;
import io.kerbside.ingest.decode.MessageDecoder;
import io.kerbside.ingest.decode.NativeDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.SenmlDecoder;
import io.kerbside.ingest.decode.TtnUplinkDecoder;
import io.kerbside.ingest.mqtt.Subscription;
import io.kerbside.ingest.store.ReadingBatchWriter;
import io.kerbside.ingest.store.SubscribedFilters;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest role: MQTT subscriptions in, committed readings and dead letters out, as verticles on
 * the process's Vert.x: one {@link StorageUpkeepVerticle} (partitions, retention, rollups), then
 * {@link IngestConfig#connections()} instances of {@link IngestVerticle}, each an MQTT connection
 * with its own pipeline. {@link #undeploy} stops them in reverse order: each stops consuming,
 * commits and acknowledges what is in flight, then disconnects.
 */
public final class IngestService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  private final Vertx vertx;
  private final List<IngestVerticle> connections;
  private final List<String> deployments;

  private IngestService(Vertx vertx, List<IngestVerticle> connections, List<String> deployments) {
    this.vertx = vertx;
    this.connections = connections;
    this.deployments = deployments;
  }

  /**
   * Deploys the role on an open, migrated database.
   *
   * @return fails with a {@link ConfigException} when a subscription names a council that does not
   *     exist or a device profile is invalid, and with an {@link
   *     org.eclipse.paho.client.mqttv3.MqttException} when the broker refuses the credentials
   */
  public static Future<IngestService> deploy(
      IngestConfig config,
      DataSource dataSource,
      MeterRegistry meters,
      Vertx vertx,
      Clock clock,
      FailureListener failures) {
    IngestMetrics metrics = new IngestMetrics(meters);
    List<IngestVerticle> connections = new CopyOnWriteArrayList<>();
    List<String> deployments = new CopyOnWriteArrayList<>();
    return vertx
        .executeBlocking(() -> prepare(config, dataSource, clock), false)
        .compose(
            parts ->
                vertx
                    .deployVerticle(new StorageUpkeepVerticle(parts.maintenance(), parts.rollups()))
                    .compose(
                        id -> {
                          deployments.add(id);
                          int[] next = {0};
                          return vertx.deployVerticle(
                              () -> {
                                IngestVerticle v =
                                    new IngestVerticle(
                                        config,
                                        ++next[0],
                                        parts.councils(),
                                        decoders(config, parts.profiles()),
                                        writer(config, dataSource, parts, clock),
                                        new SubscribedFilters(dataSource),
                                        metrics,
                                        clock,
                                        failures);
                                connections.add(v);
                                return v;
                              },
                              new DeploymentOptions().setInstances(config.connections()));
                        })
                    .map(
                        id -> {
                          deployments.add(id);
                          LOG.info(
                              "ingest - {} connection(s) as {} into {} storage",
                              config.connections(),
                              config.connections() == 1
                                  ? config.mqttClientId()
                                  : config.clientId(1)
                                      + ".."
                                      + config.clientId(config.connections()),
                              parts.layout().name().toLowerCase(Locale.ROOT));
                          return new IngestService(vertx, connections, deployments);
                        })
                    .recover(
                        e ->
                            undeploy(vertx, deployments)
                                .transform(ignored -> Future.<IngestService>failedFuture(e))));
  }

  /**
   * As {@link #deploy}, blocking until the role runs (for tests and tools).
   *
   * @throws Exception what {@link #deploy} failed with
   */
  public static IngestService start(
      IngestConfig config, DataSource dataSource, MeterRegistry meters, Vertx vertx, Clock clock)
      throws Exception {
    Future<IngestService> f =
        deploy(
            config,
            dataSource,
            meters,
            vertx,
            clock,
            (component, cause) -> LOG.error("{} failed", component, cause));
    try {
      return f.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  /** What every connection shares, read from the database once. */
  private record Parts(
      DeviceProfiles profiles,
      Map<String, CouncilRef> councils,
      StorageLayout layout,
      ReadingMaintenance maintenance,
      ReadingRollups rollups) {}

  private static Parts prepare(IngestConfig config, DataSource dataSource, Clock clock)
      throws SQLException {
    DeviceProfiles profiles = DeviceProfiles.load(config.deviceProfilesDir());
    LOG.info("device profiles: {}", profiles.names());
    Map<String, CouncilRef> councils = resolveCouncils(config, new Councils(dataSource));
    StorageLayout layout;
    try (Connection c = dataSource.getConnection()) {
      layout = StorageLayout.detect(c);
    }
    return new Parts(
        profiles,
        councils,
        layout,
        new ReadingMaintenance(dataSource, config.retentionDays(), clock),
        new ReadingRollups(dataSource, config.retentionDays(), clock));
  }

  private static Map<PayloadFormat, MessageDecoder> decoders(
      IngestConfig config, DeviceProfiles profiles) {
    Map<PayloadFormat, MessageDecoder> decoders = new EnumMap<>(PayloadFormat.class);
    decoders.put(PayloadFormat.NATIVE, new NativeDecoder(config.decodeLimits()));
    decoders.put(PayloadFormat.TTN, new TtnUplinkDecoder(config.decodeLimits(), profiles));
    decoders.put(PayloadFormat.CHIRPSTACK, new ChirpStackDecoder(config.decodeLimits(), profiles));
    decoders.put(PayloadFormat.SENML, new SenmlDecoder(config.decodeLimits(), profiles));
    return decoders;
  }

  private static ReadingBatchWriter writer(
      IngestConfig config, DataSource dataSource, Parts parts, Clock clock) {
    return new ReadingBatchWriter(
        dataSource,
        parts.layout(),
        parts.maintenance(),
        config.autoRegister(),
        config.lastSeenIntervalSeconds(),
        config.maxPayloadBytes(),
        clock);
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

  /**
   * Readiness by dependency: {@code mqtt} (every connection up), {@code database} (every writer
   * committing), and, with several connections, each connection's {@code mqtt-N} and {@code
   * writer-N}.
   */
  public Map<String, Boolean> readiness() {
    Map<String, Boolean> r = new LinkedHashMap<>();
    r.put("mqtt", connections.stream().allMatch(IngestVerticle::connected));
    r.put("database", connections.stream().allMatch(IngestVerticle::writerHealthy));
    if (connections.size() > 1) {
      for (IngestVerticle v : connections) {
        r.put(v.mqttName(), v.connected());
        r.put(v.writerName(), v.writerHealthy());
      }
    }
    return r;
  }

  /** Messages received and not yet committed and acknowledged, over every connection. */
  public int inFlight() {
    return connections.stream().mapToInt(IngestVerticle::inFlight).sum();
  }

  /** Stops the connections, then the upkeep: the reverse of {@link #deploy}. */
  public Future<Void> undeploy() {
    return undeploy(vertx, deployments);
  }

  private static Future<Void> undeploy(Vertx vertx, List<String> deployments) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain =
          chain.transform(
              ignored ->
                  vertx.deploymentIDs().contains(id)
                      ? vertx.undeploy(id)
                      : Future.<Void>succeededFuture());
    }
    return chain;
  }

  /** As {@link #undeploy}, blocking for up to a minute. */
  @Override
  public void close() {
    try {
      undeploy().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("ingest - stopping failed", e);
    }
  }
}
