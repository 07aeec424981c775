package io.kerbside.api.auth;

import java.time.Instant;

/**
 * What may be shown of a REST API key: never the key, never its hash.
 *
 * @param id the key's number, to revoke it by
 * @param label what the key is for; null when none was given
 * @param createdAt when it was created
 * @param revokedAt when it was revoked; null while it is valid
 */
public record ApiKeyInfo(long id, String label, Instant createdAt, Instant revokedAt) {}
