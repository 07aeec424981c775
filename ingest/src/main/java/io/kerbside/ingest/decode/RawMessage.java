package io.kerbside.ingest.decode;

import io.kerbside.core.CouncilRef;
import java.time.Instant;

/**
 * A message as it came off the broker, before decoding.
 *
 * @param council the council its subscription belongs to
 * @param format the payload format its subscription is configured with
 * @param topic the topic it was published on
 * @param payload raw bytes
 * @param receivedAt when Kerbside received it
 */
public record RawMessage(
    CouncilRef council, PayloadFormat format, String topic, byte[] payload, Instant receivedAt) {}
