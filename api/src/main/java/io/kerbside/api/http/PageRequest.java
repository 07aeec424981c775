package io.kerbside.api.http;

/**
 * Which page of a list the caller asked for.
 *
 * @param limit at most this many items, at least 1
 * @param offset skipping this many, at least 0
 */
public record PageRequest(int limit, int offset) {}
