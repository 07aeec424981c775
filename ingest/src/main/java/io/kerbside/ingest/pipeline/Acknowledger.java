package io.kerbside.ingest.pipeline;

/** Confirms a message to the broker once it is committed. Called from the writer thread. */
public interface Acknowledger {
  /**
   * @param messageId the MQTT packet id
   * @param qos the delivery QoS; nothing is sent for 0
   * @param connectionEpoch the connection the message arrived on; acks for an older connection are
   *     dropped, because the broker redelivers those messages anyway
   */
  void ack(int messageId, int qos, long connectionEpoch);
}
