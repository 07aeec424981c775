package io.kerbside.ingest.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.time.Duration;

/**
 * Bounds on acceptable input, from the ingest configuration.
 *
 * @param maxPayloadBytes larger messages are rejected unread
 * @param maxNestingDepth deeper JSON is rejected
 * @param maxFuture readings further ahead of the receive time are rejected
 * @param maxAge readings older than this (the retention window) are rejected
 */
public record DecodeLimits(
    int maxPayloadBytes, int maxNestingDepth, Duration maxFuture, Duration maxAge) {

  /**
   * A JSON factory that enforces these limits while parsing and rejects duplicate field names;
   * every decoder reads through one. Decimal numbers are read with Jackson's fast parser, which
   * gives the same doubles as {@link Double#parseDouble} at a fraction of its cost and garbage.
   */
  JsonFactory jsonFactory() {
    return JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxPayloadBytes)
                .maxNumberLength(64)
                .build())
        .build();
  }
}
