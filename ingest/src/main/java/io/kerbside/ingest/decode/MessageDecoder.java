package io.kerbside.ingest.decode;

/**
 * Turns the bytes of one message into readings and rejections. Implementations are thread-safe and
 * never throw for bad input: every problem becomes a {@link Rejection}.
 */
public interface MessageDecoder {
  DecodedMessage decode(RawMessage message);
}
