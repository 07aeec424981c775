package io.kerbside.ingest.store;

import io.kerbside.ingest.decode.Reading;
import io.kerbside.ingest.decode.Rejection;
import java.time.Instant;
import java.util.List;

/**
 * What one committed batch did.
 *
 * @param stored readings inserted
 * @param duplicates readings already present (same device and timestamp)
 * @param rejections every rejection dead-lettered in this batch, including those found while
 *     writing (unknown device, kind mismatch)
 * @param committedAt when the transaction committed
 * @param storedReadings the readings written (inserted or duplicate), for latency accounting
 * @param sequences gaps, late arrivals and resets in the written readings' sequence numbers
 */
public record WriteResult(
    int stored,
    int duplicates,
    List<Rejection> rejections,
    Instant committedAt,
    List<Reading> storedReadings,
    SequenceTally sequences) {}
