package io.kerbside.analytics.notify.outbox;

import io.kerbside.analytics.notify.AlertNotice;
import java.time.Instant;

/**
 * A pending delivery this worker has claimed (leased) for one attempt.
 *
 * @param attempt this attempt's number, from 1
 */
public record ClaimedDelivery(
    long deliveryId, String channel, int attempt, Instant createdAt, AlertNotice notice) {}
