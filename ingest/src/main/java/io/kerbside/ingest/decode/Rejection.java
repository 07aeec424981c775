package io.kerbside.ingest.decode;

/**
 * A rejected message or message element.
 *
 * @param reason the category, stored and counted
 * @param detail a human-readable explanation naming the field or element; never the payload
 */
public record Rejection(RejectionReason reason, String detail) {}
