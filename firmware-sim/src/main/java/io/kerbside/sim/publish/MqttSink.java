package io.kerbside.sim.publish;

import io.kerbside.sim.ConnectionMode;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.SimulationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
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
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes over Paho MQTT connections: a few shared ones (device {@code d} always on connection
 * {@code d % n}) or one per device, so each device's messages reach the broker in the order sent.
 * Each connection keeps a bounded window of unconfirmed messages (1,000 shared, 20 per device);
 * {@link #send} waits while its window is full, so memory stays bounded however fast the simulation
 * runs. Connections reconnect on their own; a message sent while one is down counts as failed.
 */
public final class MqttSink implements MessageSink {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSink.class);
  private static final int SHARED_WINDOW = 1_000;
  private static final int PER_DEVICE_WINDOW = 20;
  private static final int PARALLEL_CONNECTS = 64;
  private static final long RATE_BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final PublishOptions options;
  private final List<String> deviceIds;
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicLongArray failedByDevice;
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  private final TokenBucket rateLimiter;
  private final List<Connection> connections = new ArrayList<>();
  private volatile boolean aborted;
  private ScheduledExecutorService pings;

  /**
   * @param deviceIds the town's device ids by index (names the per-device connections)
   */
  public MqttSink(PublishOptions options, List<String> deviceIds) {
    this.options = options;
    this.deviceIds = List.copyOf(deviceIds);
    this.failedByDevice = new AtomicLongArray(deviceIds.size());
    this.rateLimiter =
        options.maxRatePerSecond() > 0
            ? new TokenBucket(options.maxRatePerSecond(), RATE_BURST_NANOS, System::nanoTime)
            : null;
  }

  @Override
  public void open() {
    boolean perDevice = options.connections() == ConnectionMode.PER_DEVICE;
    int n = perDevice ? deviceIds.size() : options.sharedConnections();
    int window = perDevice ? PER_DEVICE_WINDOW : SHARED_WINDOW;
    pings =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kerbside-sim-ping");
              t.setDaemon(true);
              return t;
            });
    Semaphore connecting = new Semaphore(PARALLEL_CONNECTS);
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    try {
      for (int k = 0; k < n; k++) {
        String clientId =
            options.clientIdPrefix() + "-" + (perDevice ? deviceIds.get(k) : Integer.toString(k));
        Connection c = new Connection(clientId, window);
        connections.add(c);
        connecting.acquire();
        if (firstFailure.get() != null) {
          connecting.release();
          break;
        }
        c.connect(
            new IMqttActionListener() {
              @Override
              public void onSuccess(IMqttToken token) {
                connecting.release();
              }

              @Override
              public void onFailure(IMqttToken token, Throwable e) {
                firstFailure.compareAndSet(null, e);
                connecting.release();
              }
            });
      }
      if (!connecting.tryAcquire(PARALLEL_CONNECTS, 60, TimeUnit.SECONDS)) {
        firstFailure.compareAndSet(null, new IllegalStateException("connecting took over 60 s"));
      }
    } catch (MqttException e) {
      firstFailure.compareAndSet(null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      firstFailure.compareAndSet(null, e);
    }
    Throwable failure = firstFailure.get();
    if (failure != null) {
      close();
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      throw new SimulationException(
          "cannot connect to the broker at " + options.brokerUrl() + ": " + cause.getMessage(),
          failure);
    }
    LOG.info(
        "sim - {} connection{} to {} as {}, QoS {}",
        n,
        n == 1 ? "" : "s",
        options.brokerUrl(),
        options.username().isEmpty() ? "anonymous" : options.username(),
        options.qos());
  }

  @Override
  public boolean send(int device, String topic, byte[] payload) throws InterruptedException {
    if (aborted) {
      return false;
    }
    if (rateLimiter != null) {
      rateLimiter.acquire();
    }
    Connection c =
        connections.get(
            options.connections() == ConnectionMode.PER_DEVICE
                ? device
                : device % connections.size());
    while (!c.window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
      if (aborted) {
        return false;
      }
    }
    try {
      PahoConnections.publish(c.client, topic, payload, options.qos(), device, c);
    } catch (MqttException e) {
      c.window.release();
      countFailure(device, e);
    }
    return true;
  }

  @Override
  public void drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Connection c : connections) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (c.window.tryAcquire(c.size, left, TimeUnit.NANOSECONDS)) {
        c.window.release(c.size);
      } else {
        int unconfirmed = c.size - c.window.availablePermits();
        LOG.warn(
            "{} - {} messages unconfirmed after {} s; counted as failed",
            c.clientId,
            unconfirmed,
            timeout.toSeconds());
        failed.add(unconfirmed);
      }
    }
  }

  @Override
  public void abort() {
    aborted = true;
  }

  @Override
  public long sent() {
    return sent.sum();
  }

  @Override
  public long failed() {
    return failed.sum();
  }

  @Override
  public long failed(int device) {
    return failedByDevice.get(device);
  }

  @Override
  public void close() {
    List<IMqttToken> disconnects = new ArrayList<>();
    for (Connection c : connections) {
      try {
        if (c.client.isConnected()) {
          disconnects.add(c.client.disconnect(1_000));
        }
      } catch (MqttException e) {
        LOG.debug("{} - disconnect: {}", c.clientId, e.getMessage());
      }
    }
    for (IMqttToken t : disconnects) {
      try {
        t.waitForCompletion(5_000);
      } catch (MqttException e) {
        LOG.debug("sim - disconnect did not complete: {}", e.getMessage());
      }
    }
    for (Connection c : connections) {
      try {
        c.client.close(true);
      } catch (MqttException e) {
        LOG.debug("{} - close: {}", c.clientId, e.getMessage());
      }
    }
    connections.clear();
    if (pings != null) {
      pings.shutdownNow();
    }
  }

  private void countFailure(int device, Throwable e) {
    failed.increment();
    failedByDevice.incrementAndGet(device);
    if (failureLogged.compareAndSet(false, true)) {
      LOG.warn("sim - publish failed (further failures only counted): {}", e.toString());
    }
  }

  /** One MQTT connection and its window of unconfirmed messages. */
  private final class Connection implements IMqttActionListener, MqttCallback {
    final String clientId;
    final int size;
    final Semaphore window;
    final MqttAsyncClient client;

    Connection(String clientId, int size) throws MqttException {
      this.clientId = clientId;
      this.size = size;
      this.window = new Semaphore(size);
      this.client =
          new MqttAsyncClient(
              options.brokerUrl(),
              clientId,
              new MemoryPersistence(),
              new ScheduledExecutorPingSender(pings));
      client.setCallback(this);
    }

    void connect(IMqttActionListener listener) throws MqttException {
      MqttConnectOptions o = PahoConnections.publisherOptions(options.brokerUrl(), size, true);
      if (!options.username().isEmpty()) {
        o.setUserName(options.username());
      }
      if (!options.password().isEmpty()) {
        o.setPassword(options.password().reveal().toCharArray());
      }
      client.connect(o, null, listener);
    }

    @Override
    public void onSuccess(IMqttToken token) {
      sent.increment();
      window.release();
    }

    @Override
    public void onFailure(IMqttToken token, Throwable e) {
      countFailure((Integer) token.getUserContext(), e);
      window.release();
    }

    @Override
    public void connectionLost(Throwable cause) {
      LOG.warn("{} - connection lost, reconnecting: {}", clientId, String.valueOf(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      // Publish-only connection: it subscribes to nothing.
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // Counted by onSuccess.
    }
  }
}
