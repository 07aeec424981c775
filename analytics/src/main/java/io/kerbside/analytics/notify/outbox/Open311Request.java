package io.kerbside.analytics.notify.outbox;

/**
 * A works request raised for a still-active alert, to be polled for closure.
 *
 * @param externalId the GeoReport {@code service_request_id}, or {@code token:<token>} while the
 *     works system has not yet given one
 */
public record Open311Request(long deliveryId, long alertId, String channel, String externalId) {}
