package io.kerbside.core;

/**
 * A council (tenant) as resolved from the database at start-up.
 *
 * @param id the database key, {@code council.council_id}
 * @param slug the configured name, e.g. {@code default}
 */
public record CouncilRef(int id, String slug) {}
