package io.kerbside.sim.load;

import io.kerbside.core.DeviceKind;
import io.kerbside.sim.publish.PahoConnections;
import io.kerbside.sim.publish.TokenBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes native readings for many simulated devices over several MQTT connections, as fast as
 * the broker takes them or at a given rate.
 *
 * <p>Devices are named {@code <prefix><index>} with at least five digits ({@code bench-bin-00042})
 * and publish on {@code <topicPrefix>/<kind>/<device-id>}. Each device's readings carry {@code seq}
 * 1, 2, 3... and a {@code ts} equal to the publish time in milliseconds, moved one millisecond past
 * the device's previous reading when the clock has not advanced, so that no two readings of a
 * device share their identity {@code (device, ts)}. The state carries over from one {@link
 * #publish} call to the next: a second call continues every device's seq and timestamps.
 *
 * <p>Device {@code d} always publishes over connection {@code d % connections}, so one device's
 * readings reach the broker in order. Each connection keeps at most {@code maxInflight} publishes
 * unconfirmed (PUBACK for QoS 1, written for QoS 0) and waits for a confirmation before sending
 * more.
 *
 * <p>{@link #publish} may be called by one thread at a time; it runs one thread per connection.
 */
public final class LoadPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadPublisher.class);

  /** How long the end of a run waits for outstanding confirmations before counting them failed. */
  private static final long CONFIRM_TIMEOUT_MS = 120_000;

  /** How much lost time a paced sender may make up at once. */
  private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final SimulatedFleet fleet;
  private final String deviceIdPrefix;
  private final int qos;
  private final TimestampFormat timestampFormat;
  private final List<Lane> lanes;

  private LoadPublisher(Builder b, SimulatedFleet fleet, List<Lane> lanes) {
    this.fleet = fleet;
    this.deviceIdPrefix = b.effectiveDeviceIdPrefix();
    this.qos = b.qos;
    this.timestampFormat = b.timestampFormat;
    this.lanes = lanes;
  }

  /**
   * A builder for a publisher to the broker at {@code mqttUrl}, e.g. {@code tcp://127.0.0.1:1883}.
   */
  public static Builder builder(String mqttUrl) {
    return new Builder(mqttUrl);
  }

  /** Number of simulated devices. */
  public int devices() {
    return fleet.size();
  }

  /** The device id of device {@code index}, 0-based. */
  public String deviceId(int index) {
    return fleet.deviceId(index);
  }

  /** What every device id starts with, e.g. {@code bench-bin-}. */
  public String deviceIdPrefix() {
    return deviceIdPrefix;
  }

  public DeviceKind kind() {
    return fleet.kind();
  }

  /**
   * Publishes {@code readings} readings spread round-robin over the devices (reading {@code r} goes
   * to device {@code r % devices}), and returns once every publish is confirmed or failed.
   *
   * @param readings how many readings to publish, 0 or more
   * @param messagesPerSecond target total rate; 0 publishes as fast as the broker takes them
   * @throws InterruptedException when interrupted; the run stops and its connections stay usable
   * @throws IllegalStateException when a publishing thread failed unexpectedly
   */
  public synchronized LoadReport publish(long readings, double messagesPerSecond)
      throws InterruptedException {
    if (readings < 0) {
      throw new IllegalArgumentException("readings must be 0 or more, got " + readings);
    }
    if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)) {
      throw new IllegalArgumentException(
          "messagesPerSecond must be 0 (unpaced) or more, got " + messagesPerSecond);
    }
    for (Lane lane : lanes) {
      lane.resetCounts();
    }
    List<Thread> threads = new ArrayList<>(lanes.size());
    AtomicReference<Throwable> laneFailure = new AtomicReference<>();
    long start = System.nanoTime();
    for (Lane lane : lanes) {
      Thread t =
          new Thread(() -> lane.run(readings, messagesPerSecond), "kerbside-load-" + lane.index);
      t.setUncaughtExceptionHandler((thread, e) -> laneFailure.compareAndSet(null, e));
      threads.add(t);
      t.start();
    }
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      threads.forEach(Thread::interrupt);
      for (Thread t : threads) {
        t.join(5_000);
      }
      throw e;
    }
    long end = System.nanoTime();
    if (laneFailure.get() != null) {
      throw new IllegalStateException("a publishing thread failed", laneFailure.get());
    }
    long sent = 0;
    long failed = 0;
    for (Lane lane : lanes) {
      sent += lane.sent.sum();
      failed += lane.failed.sum();
    }
    return LoadReport.of(sent, failed, start, end);
  }

  /** Disconnects every connection; unconfirmed QoS 1 publishes are abandoned. */
  @Override
  public void close() {
    for (Lane lane : lanes) {
      lane.close();
    }
  }

  @Override
  public String toString() {
    return "LoadPublisher[devices="
        + fleet.size()
        + ", kind="
        + fleet.kind().code()
        + ", qos="
        + qos
        + ", connections="
        + lanes.size()
        + ", ts="
        + timestampFormat
        + "]";
  }

  /** Settings of a {@link LoadPublisher}; {@link #connect()} validates them and connects. */
  public static final class Builder {
    private final String mqttUrl;
    private int devices = 1_000;
    private DeviceKind kind = DeviceKind.BIN;
    private String deviceIdPrefix;
    private String topicPrefix = "kerbside";
    private int qos = 1;
    private int connections = 4;
    private int maxInflight = 1_000;
    private TimestampFormat timestampFormat = TimestampFormat.ISO_8601;
    private String clientIdPrefix = "kerbside-load-" + ProcessHandle.current().pid();

    private Builder(String mqttUrl) {
      this.mqttUrl = Objects.requireNonNull(mqttUrl, "mqttUrl");
    }

    /** Number of simulated devices, 1 to 10,000,000; default 1,000. */
    public Builder devices(int devices) {
      this.devices = devices;
      return this;
    }

    /** Kind of every device, which decides the topic level and the payload fields; default bin. */
    public Builder kind(DeviceKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** Start of every device id; default {@code bench-<kind>-}. */
    public Builder deviceIdPrefix(String deviceIdPrefix) {
      this.deviceIdPrefix = Objects.requireNonNull(deviceIdPrefix, "deviceIdPrefix");
      return this;
    }

    /** First topic level; default {@code kerbside}, giving {@code kerbside/<kind>/<device-id>}. */
    public Builder topicPrefix(String topicPrefix) {
      this.topicPrefix = Objects.requireNonNull(topicPrefix, "topicPrefix");
      return this;
    }

    /** 0 (at most once) or 1 (at least once, the default). */
    public Builder qos(int qos) {
      this.qos = qos;
      return this;
    }

    /** Number of MQTT connections, 1 to 64; default 4. */
    public Builder connections(int connections) {
      this.connections = connections;
      return this;
    }

    /** Unconfirmed publishes allowed per connection, 1 to 65,535; default 1,000. */
    public Builder maxInflight(int maxInflight) {
      this.maxInflight = maxInflight;
      return this;
    }

    /** How {@code ts} is written; default ISO-8601. */
    public Builder timestampFormat(TimestampFormat timestampFormat) {
      this.timestampFormat = Objects.requireNonNull(timestampFormat, "timestampFormat");
      return this;
    }

    /**
     * Connection {@code k} uses client id {@code <prefix>-<k>}; default {@code
     * kerbside-load-<pid>}.
     */
    public Builder clientIdPrefix(String clientIdPrefix) {
      this.clientIdPrefix = Objects.requireNonNull(clientIdPrefix, "clientIdPrefix");
      return this;
    }

    private String effectiveDeviceIdPrefix() {
      return deviceIdPrefix != null ? deviceIdPrefix : "bench-" + kind.code() + "-";
    }

    /**
     * Validates the settings and opens every connection (clean sessions).
     *
     * @throws IllegalArgumentException naming the first invalid setting
     * @throws MqttException when a connection fails; connections already open are closed
     */
    public LoadPublisher connect() throws MqttException {
      check(devices >= 1 && devices <= 10_000_000, "devices must be 1 to 10000000, got " + devices);
      check(qos == 0 || qos == 1, "qos must be 0 or 1, got " + qos);
      check(
          connections >= 1 && connections <= 64, "connections must be 1 to 64, got " + connections);
      check(
          maxInflight >= 1 && maxInflight <= 65_535,
          "maxInflight must be 1 to 65535, got " + maxInflight);
      check(
          !topicPrefix.isEmpty() && !topicPrefix.matches(".*[+#].*") && !topicPrefix.endsWith("/"),
          "topicPrefix must be a topic without wildcards or trailing '/', got '"
              + topicPrefix
              + "'");
      check(!clientIdPrefix.isBlank(), "clientIdPrefix must not be blank");
      SimulatedFleet fleet =
          new SimulatedFleet(kind, topicPrefix, effectiveDeviceIdPrefix(), devices);
      List<Lane> lanes = new ArrayList<>(connections);
      try {
        for (int k = 0; k < connections; k++) {
          Lane lane = new Lane(k, connections, fleet, this);
          lanes.add(lane);
          lane.connect(mqttUrl, maxInflight);
        }
      } catch (MqttException | RuntimeException e) {
        lanes.forEach(Lane::close);
        throw e;
      }
      LOG.info(
          "load - {} connections to {} for {} {} devices, QoS {}",
          connections,
          mqttUrl,
          devices,
          kind.code(),
          qos);
      return new LoadPublisher(this, fleet, List.copyOf(lanes));
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /** One connection, its share of the devices and the thread that publishes for them. */
  private static final class Lane implements IMqttActionListener, MqttCallback {
    final int index;
    private final SimulatedFleet fleet;
    private final int[] devices;
    private final int qos;
    private final String clientId;
    private final NativePayloadWriter payloads;
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private MqttAsyncClient client;
    private Semaphore inflight;
    private int maxInflight;

    Lane(int index, int connections, SimulatedFleet fleet, Builder b) {
      this.index = index;
      this.fleet = fleet;
      int n = fleet.size();
      this.devices = new int[n / connections + (index < n % connections ? 1 : 0)];
      for (int i = 0; i < devices.length; i++) {
        devices[i] = index + i * connections;
      }
      this.qos = b.qos;
      this.clientId = b.clientIdPrefix + "-" + index;
      this.payloads = new NativePayloadWriter(b.timestampFormat);
    }

    void connect(String mqttUrl, int maxInflight) throws MqttException {
      this.maxInflight = maxInflight;
      this.inflight = new Semaphore(maxInflight);
      client = new MqttAsyncClient(mqttUrl, clientId, new MemoryPersistence());
      client.setCallback(this);
      client
          .connect(PahoConnections.publisherOptions(maxInflight, false))
          .waitForCompletion(15_000);
    }

    void resetCounts() {
      sent.reset();
      failed.reset();
      failureLogged.set(false);
    }

    void run(long total, double totalPerSecond) {
      int fleetSize = fleet.size();
      long share = 0;
      for (int d : devices) {
        share += SimulatedFleet.readingsFor(d, fleetSize, total);
      }
      if (share == 0) {
        return;
      }
      TokenBucket bucket =
          totalPerSecond > 0
              ? new TokenBucket(totalPerSecond * share / total, BURST_NANOS, System::nanoTime)
              : null;
      long rounds = total / fleetSize + (total % fleetSize == 0 ? 0 : 1);
      DeviceKind kind = fleet.kind();
      try {
        for (long round = 0; round < rounds; round++) {
          for (int d : devices) {
            // Counts only fall with the device index, and devices[] is ascending.
            if (round >= SimulatedFleet.readingsFor(d, fleetSize, total)) {
              break;
            }
            if (bucket != null) {
              bucket.acquire();
            }
            long ts = fleet.advance(d, System.currentTimeMillis());
            send(fleet.topic(d), payloads.write(kind, d, fleet.lastSeq(d), ts));
          }
        }
        awaitConfirmations();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void send(String topic, byte[] payload) throws InterruptedException {
      inflight.acquire();
      try {
        PahoConnections.publish(client, topic, payload, qos, null, this);
      } catch (MqttException e) {
        inflight.release();
        failed.increment();
        logFirstFailure(e);
      }
    }

    private void awaitConfirmations() throws InterruptedException {
      if (inflight.tryAcquire(maxInflight, CONFIRM_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        inflight.release(maxInflight);
        return;
      }
      int unconfirmed = maxInflight - inflight.availablePermits();
      LOG.warn(
          "{} - {} publishes still unconfirmed after {} ms; counted as failed",
          clientId,
          unconfirmed,
          CONFIRM_TIMEOUT_MS);
      failed.add(unconfirmed);
    }

    private void logFirstFailure(Throwable e) {
      if (failureLogged.compareAndSet(false, true)) {
        LOG.warn("{} - publish failed (further failures only counted): {}", clientId, e.toString());
      }
    }

    @Override
    public void onSuccess(IMqttToken token) {
      sent.increment();
      inflight.release();
    }

    @Override
    public void onFailure(IMqttToken token, Throwable e) {
      failed.increment();
      inflight.release();
      logFirstFailure(e);
    }

    @Override
    public void connectionLost(Throwable cause) {
      LOG.warn("{} - connection lost: {}", clientId, cause == null ? "unknown cause" : cause);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      // Publish-only connection: it subscribes to nothing.
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // Counted by onSuccess, which runs for every publish of this connection.
    }

    void close() {
      if (client != null) {
        PahoConnections.closeQuietly(client);
      }
    }
  }
}
