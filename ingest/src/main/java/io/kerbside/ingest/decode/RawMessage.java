package io.kerbside.ingest.decode;

import io.kerbside.core.CouncilRef;
import java.time.Instant;

/**
 * A message as it came off the broker, before decoding.
 *
 * @param council the council its subscription belongs to; null only for a message whose topic no
 *     subscription matches, which is never decoded, only dead-lettered
 * @param format the payload format its subscription is configured with; null exactly when {@code
 *     council} is
 * @param topic the topic it was published on
 * @param payload raw bytes
 * @param receivedAt when Kerbside received it
 */
public record RawMessage(
    CouncilRef council, PayloadFormat format, String topic, byte[] payload, Instant receivedAt) {

  public RawMessage {
    if ((council == null) != (format == null)) {
      throw new IllegalArgumentException(
          "a message has both a council and a format, or neither: " + council + ", " + format);
    }
  }

  /** A message on a topic that no subscription matches: no council, no format. */
  public static RawMessage unrouted(String topic, byte[] payload, Instant receivedAt) {
    return new RawMessage(null, null, topic, payload, receivedAt);
  }

  /** False for a message whose topic no subscription matches. */
  public boolean routed() {
    return council != null;
  }
}
