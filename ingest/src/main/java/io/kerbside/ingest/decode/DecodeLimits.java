package io.kerbside.ingest.decode;

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
    int maxPayloadBytes, int maxNestingDepth, Duration maxFuture, Duration maxAge) {}
