package io.kerbside.sim;

import io.kerbside.sim.publish.MessageSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every message in memory, in the order sent; confirms each at once. */
final class RecordingSink implements MessageSink {
  record Message(int device, String topic, byte[] payload) {}

  final List<Message> messages = Collections.synchronizedList(new ArrayList<>());
  volatile boolean opened;
  volatile boolean closed;
  private volatile boolean aborted;

  @Override
  public void open() {
    opened = true;
  }

  @Override
  public boolean send(int device, String topic, byte[] payload) {
    if (aborted) {
      return false;
    }
    messages.add(new Message(device, topic, payload));
    return true;
  }

  @Override
  public void drain(Duration timeout) {}

  @Override
  public void abort() {
    aborted = true;
  }

  @Override
  public long sent() {
    return messages.size();
  }

  @Override
  public long failed() {
    return 0;
  }

  @Override
  public long failed(int device) {
    return 0;
  }

  @Override
  public void close() {
    closed = true;
  }
}
