package io.kerbside.sim.publish;

import java.time.Duration;

/**
 * Where a simulation's messages go: the MQTT broker ({@link MqttSink}), or anything else that takes
 * a topic and bytes, such as a recording sink in tests.
 *
 * <p>{@link #send} is called by one thread; the counters may be read from any thread.
 */
public interface MessageSink extends AutoCloseable {
  /**
   * Connects. Called once, before the first send.
   *
   * @throws io.kerbside.sim.SimulationException when the destination cannot be reached
   */
  void open();

  /**
   * Hands one message over, waiting while the rate limit or the window of unconfirmed messages is
   * full.
   *
   * @param device index of the sending device in the town
   * @return false when the message was not taken because {@link #abort()} was called
   * @throws InterruptedException when interrupted while waiting
   */
  boolean send(int device, String topic, byte[] payload) throws InterruptedException;

  /**
   * Waits up to {@code timeout} for every message handed over to be confirmed; the rest count as
   * failed.
   */
  void drain(Duration timeout) throws InterruptedException;

  /** Makes a waiting or future {@link #send} return false at once. Thread-safe. */
  void abort();

  /** Messages confirmed (QoS 1) or written (QoS 0). */
  long sent();

  /** Messages that could not be published or were not confirmed in time. */
  long failed();

  /** Of {@link #failed()}, those of device {@code d}. */
  long failed(int device);

  /** Disconnects; unconfirmed messages are abandoned. */
  @Override
  void close();
}
