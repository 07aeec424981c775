package io.kerbside.sim.load;

import io.kerbside.core.DeviceKind;
import io.kerbside.sim.publish.PahoConnections;
import io.kerbside.sim.publish.TokenBucket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
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
 * unconfirmed (PUBACK for QoS 1, written for QoS 0); with its window full it waits for a
 * confirmation before sending more - unpaced, for an eighth of the window, so that each wake-up of
 * the connection's threads carries many readings. A reading counts as sent only once confirmed.
 *
 * <p>A connection that is lost (a broker restart, a network failure) is connected again with
 * back-off, and every reading it had not confirmed is published again with the same bytes - same
 * device, {@code seq} and {@code ts}, so Kerbside stores it once - before any new reading of that
 * connection. Only a reading that cannot be published for {@link Builder#reconnectTimeoutMs} of
 * failed reconnects, or is lost with its connection {@value #MAX_ATTEMPTS} times, fails for good;
 * {@link LoadReport} counts both kinds, and {@link #failedSends(int)} names the devices. In the
 * normal case nothing of this costs more than a check per reading.
 *
 * <p>{@link #publish} may be called by one thread at a time; it runs one thread per connection.
 */
public final class LoadPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoadPublisher.class);

  /**
   * How long a connection may leave its publishes unconfirmed before it is dropped and they are
   * published again.
   */
  private static final long CONFIRM_TIMEOUT_MS = 120_000;

  private static final long CONNECT_TIMEOUT_MS = 15_000;
  private static final long FIRST_RECONNECT_DELAY_MS = 100;
  private static final long MAX_RECONNECT_DELAY_MS = 2_000;

  /** Publishes of one reading, the first included, before it fails for good. */
  private static final int MAX_ATTEMPTS = 10;

  /** How much lost time a paced sender may make up at once. */
  private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** Unpaced, a lane waits for this fraction of its window to be free before publishing more. */
  private static final int BURST_DIVISOR = 8;

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
   * Readings of device {@code index} (0-based) that failed for good since {@link Builder#connect},
   * over every {@link #publish} call. Call between calls, not during one.
   */
  public long failedSends(int index) {
    return lanes.get(index % lanes.size()).failedSends(index);
  }

  /**
   * Publishes {@code readings} readings spread round-robin over the devices (reading {@code r} goes
   * to device {@code r % devices}), and returns once every reading is confirmed or has failed for
   * good.
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
    long resent = 0;
    for (Lane lane : lanes) {
      sent += lane.sent.sum();
      failed += lane.failed;
      resent += lane.resent;
    }
    return LoadReport.of(sent, failed, resent, start, end);
  }

  /**
   * Disconnects every connection; publishes still unconfirmed (only after an interrupt) are
   * abandoned.
   */
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
    private long reconnectTimeoutMs = 60_000;

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

    /**
     * How long a connection keeps trying to reconnect before the readings it holds, and the rest of
     * the {@link #publish} call's readings for it, fail for good; 1 ms to 1 hour, default 60 s.
     */
    public Builder reconnectTimeoutMs(long reconnectTimeoutMs) {
      this.reconnectTimeoutMs = reconnectTimeoutMs;
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
      check(
          reconnectTimeoutMs >= 1 && reconnectTimeoutMs <= 3_600_000,
          "reconnectTimeoutMs must be 1 to 3600000, got " + reconnectTimeoutMs);
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

  /**
   * One connection, its share of the devices and the thread that publishes for them.
   *
   * <p>A publish that fails (the connection was lost, or was down when the reading was handed over)
   * is queued in {@link #unconfirmed} by Paho's callback; the lane's thread then waits for the rest
   * of its window to settle, reconnects with back-off and publishes the queued readings again, in
   * the order first sent, before any new one. Only the lane's thread decides that a reading failed
   * for good, so {@link #failed}, {@link #resent} and {@link #failedByDevice} are its own.
   */
  private static final class Lane implements IMqttActionListener, MqttCallback {
    final int index;
    private final int connections;
    private final SimulatedFleet fleet;
    private final int[] devices;
    private final int qos;
    private final String clientId;
    private final long reconnectTimeoutMs;
    private final NativePayloadWriter payloads;
    private final LongAdder sent = new LongAdder();
    private final Queue<Pending> unconfirmed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private volatile boolean connectionLost;
    private MqttAsyncClient client;
    private MqttConnectOptions options;
    private Semaphore inflight;
    private int maxInflight;

    /** Window slots the lane's thread has taken and not yet used for a publish. */
    private int credit;

    /** How many window slots the lane's thread waits for at once (see {@link #publish}). */
    private int burst = 1;

    private long nextOrder;
    private long failed;
    private long resent;
    private boolean gaveUp;

    /** Readings of each of this lane's devices that failed for good, since connecting. */
    private long[] failedByDevice;

    Lane(int index, int connections, SimulatedFleet fleet, Builder b) {
      this.index = index;
      this.connections = connections;
      this.fleet = fleet;
      int n = fleet.size();
      this.devices = new int[n / connections + (index < n % connections ? 1 : 0)];
      for (int i = 0; i < devices.length; i++) {
        devices[i] = index + i * connections;
      }
      this.qos = b.qos;
      this.clientId = b.clientIdPrefix + "-" + index;
      this.reconnectTimeoutMs = b.reconnectTimeoutMs;
      this.payloads = new NativePayloadWriter(b.timestampFormat);
    }

    void connect(String mqttUrl, int maxInflight) throws MqttException {
      this.maxInflight = maxInflight;
      this.inflight = new Semaphore(maxInflight);
      // Reconnecting is the lane's own job (see recover()): it knows what to send again, and when.
      this.options = PahoConnections.publisherOptions(mqttUrl, maxInflight, false);
      client = new MqttAsyncClient(mqttUrl, clientId, new MemoryPersistence());
      client.setCallback(this);
      client.connect(options).waitForCompletion(CONNECT_TIMEOUT_MS);
    }

    void resetCounts() {
      sent.reset();
      failed = 0;
      resent = 0;
      gaveUp = false;
      failureLogged.set(false);
    }

    long failedSends(int device) {
      return failedByDevice == null ? 0 : failedByDevice[device / connections];
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
      // Unpaced, the window is full all the time: taking freed slots one by one would wake this
      // thread, Paho's and the broker's once per reading; an eighth of the window at a time lets
      // each wake-up carry many. Paced, readings leave when their time comes.
      burst = bucket == null ? Math.max(1, maxInflight / BURST_DIVISOR) : 1;
      long rounds = total / fleetSize + (total % fleetSize == 0 ? 0 : 1);
      DeviceKind kind = fleet.kind();
      if (!client.isConnected()) {
        connectionLost = true;
      }
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
            send(new Pending(nextOrder++, d, payloads.write(kind, d, fleet.lastSeq(d), ts), 1));
          }
        }
        awaitConfirmations();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        returnCredit();
      }
    }

    private void send(Pending p) throws InterruptedException {
      if (connectionLost || !unconfirmed.isEmpty()) {
        recover();
      }
      if (gaveUp) {
        failForGood(p);
      } else {
        publish(p);
      }
    }

    /** Hands {@code p} to Paho; a refusal queues it to be sent again. */
    private void publish(Pending p) throws InterruptedException {
      if (credit == 0) {
        inflight.acquire(burst);
        credit = burst;
      }
      credit--;
      try {
        PahoConnections.publish(client, fleet.topic(p.device()), p.payload(), qos, p, this);
      } catch (MqttException e) {
        inflight.release();
        unconfirmed.add(p);
        logFirstFailure(e);
      }
    }

    /**
     * Waits until every publish of the lane is confirmed or failed, then reconnects if the
     * connection is down and publishes the failed ones again in the order first sent. When the
     * broker cannot be reached for {@code reconnectTimeoutMs}, the failed readings and every later
     * one of this {@link #publish} call fail for good.
     */
    private void recover() throws InterruptedException {
      while (connectionLost || !unconfirmed.isEmpty()) {
        settle();
        if (gaveUp || !reconnect()) {
          gaveUp = true;
          connectionLost = false;
          for (Pending p = unconfirmed.poll(); p != null; p = unconfirmed.poll()) {
            failForGood(p);
          }
          return;
        }
        List<Pending> again = new ArrayList<>(unconfirmed.size());
        for (Pending p = unconfirmed.poll(); p != null; p = unconfirmed.poll()) {
          again.add(p);
        }
        again.sort(Comparator.comparingLong(Pending::order));
        if (!again.isEmpty()) {
          LOG.info("{} - publishing {} unconfirmed readings again", clientId, again.size());
        }
        for (Pending p : again) {
          if (p.attempts() >= MAX_ATTEMPTS) {
            failForGood(p);
            continue;
          }
          if (p.attempts() == 1) {
            resent++;
          }
          publish(p.again());
        }
      }
    }

    /**
     * Waits until no publish of the lane is in flight. A connection that confirms nothing for
     * {@link #CONFIRM_TIMEOUT_MS} is dropped, which fails its publishes so that they are sent
     * again.
     */
    private void settle() throws InterruptedException {
      returnCredit();
      if (inflight.tryAcquire(maxInflight, CONFIRM_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        inflight.release(maxInflight);
        return;
      }
      LOG.warn(
          "{} - {} publishes unconfirmed after {} ms; dropping the connection to send them again",
          clientId,
          maxInflight - inflight.availablePermits(),
          CONFIRM_TIMEOUT_MS);
      try {
        client.disconnectForcibly(0, 1_000, false);
      } catch (MqttException e) {
        LOG.debug("{} - dropping the connection: {}", clientId, e.toString());
      }
      connectionLost = true;
      if (!inflight.tryAcquire(maxInflight, CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            clientId + " - publishes neither confirmed nor failed after dropping the connection");
      }
      inflight.release(maxInflight);
    }

    /**
     * Connects again if the connection is down, retrying with back-off for up to {@code
     * reconnectTimeoutMs}; true when connected.
     */
    private boolean reconnect() throws InterruptedException {
      connectionLost = false;
      if (client.isConnected()) {
        return true;
      }
      long start = System.nanoTime();
      long deadline = start + TimeUnit.MILLISECONDS.toNanos(reconnectTimeoutMs);
      long delayMs = FIRST_RECONNECT_DELAY_MS;
      int attempts = 0;
      while (true) {
        attempts++;
        try {
          client.connect(options).waitForCompletion(CONNECT_TIMEOUT_MS);
          LOG.info(
              "{} - reconnected after {} ms ({} attempts)",
              clientId,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
              attempts);
          return true;
        } catch (MqttException e) {
          if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_CONNECTED) {
            return true;
          }
          if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) > deadline) {
            LOG.warn(
                "{} - broker unreachable for {} ms, giving up ({} attempts): {}",
                clientId,
                reconnectTimeoutMs,
                attempts,
                e.toString());
            return false;
          }
          LOG.debug("{} - reconnect attempt {} failed: {}", clientId, attempts, e.toString());
        }
        Thread.sleep(delayMs);
        delayMs = Math.min(delayMs * 2, MAX_RECONNECT_DELAY_MS);
      }
    }

    /**
     * Waits for the last confirmations of the call, publishing again whatever a lost connection
     * failed meanwhile; returns when every reading of the call is confirmed or failed for good.
     */
    private void awaitConfirmations() throws InterruptedException {
      settle();
      while (!unconfirmed.isEmpty()) {
        recover();
        settle();
      }
    }

    /** Gives back the window slots taken but not used. */
    private void returnCredit() {
      if (credit > 0) {
        inflight.release(credit);
        credit = 0;
      }
    }

    private void failForGood(Pending p) {
      failed++;
      if (failedByDevice == null) {
        failedByDevice = new long[devices.length];
      }
      failedByDevice[p.device() / connections]++;
    }

    private void logFirstFailure(Throwable e) {
      if (failureLogged.compareAndSet(false, true)) {
        LOG.warn(
            "{} - publish failed, will publish again (further failures only counted): {}",
            clientId,
            e.toString());
      }
    }

    @Override
    public void onSuccess(IMqttToken token) {
      sent.increment();
      inflight.release();
    }

    @Override
    public void onFailure(IMqttToken token, Throwable e) {
      // Queued before the window slot is freed, so that settle() never misses it.
      unconfirmed.add((Pending) token.getUserContext());
      inflight.release();
      logFirstFailure(e);
    }

    @Override
    public void connectionLost(Throwable cause) {
      connectionLost = true;
      LOG.warn(
          "{} - connection lost, reconnecting: {}",
          clientId,
          cause == null ? "unknown cause" : cause.toString());
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

  /**
   * One reading handed to a connection: the exact bytes that are published again after a lost
   * connection, so its identity (device, seq, ts) stays the same.
   *
   * @param order position in the lane's sending order
   * @param device the device's index
   * @param attempts how often it has been published, 1 the first time
   */
  private record Pending(long order, int device, byte[] payload, int attempts) {
    Pending again() {
      return new Pending(order, device, payload, attempts + 1);
    }
  }
}
