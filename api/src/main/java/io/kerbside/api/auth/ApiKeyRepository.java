package io.kerbside.api.auth;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Per-council REST API keys. A key is 32 random bytes, base64url, prefixed {@code kbs_}; only its
 * SHA-256 is stored, so a lost key is replaced, never recovered.
 */
public final class ApiKeyRepository {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final DataSource dataSource;

  public ApiKeyRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Creates a viewer key for {@code council}; the returned secret is the only copy. */
  public Secret create(CouncilRef council, String label) throws SQLException {
    return create(council, label, ApiRole.VIEWER);
  }

  /** Creates a key with {@code role} for {@code council}; the returned secret is the only copy. */
  public Secret create(CouncilRef council, String label, ApiRole role) throws SQLException {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String key = "kbs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO api_key (council_id, key_sha256, label, role) VALUES (?, ?, ?, ?)")) {
      ps.setInt(1, council.id());
      ps.setBytes(2, sha256(key));
      ps.setString(3, label);
      ps.setString(4, role.code());
      ps.executeUpdate();
    }
    return Secret.of(key);
  }

  /** What revoking a key did. */
  public enum Revocation {
    REVOKED,
    ALREADY_REVOKED,
    /** The council has no key with that id. */
    NOT_FOUND
  }

  /** The council's keys, oldest first. */
  public List<ApiKeyInfo> list(CouncilRef council) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT api_key_id, label, created_at, revoked_at FROM api_key"
                    + " WHERE council_id = ? ORDER BY api_key_id")) {
      ps.setInt(1, council.id());
      try (ResultSet rs = ps.executeQuery()) {
        List<ApiKeyInfo> keys = new ArrayList<>();
        while (rs.next()) {
          keys.add(
              new ApiKeyInfo(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getObject(3, OffsetDateTime.class).toInstant(),
                  Optional.ofNullable(rs.getObject(4, OffsetDateTime.class))
                      .map(OffsetDateTime::toInstant)
                      .orElse(null)));
        }
        return keys;
      }
    }
  }

  /**
   * Revokes the council's key {@code id}: from then on it is refused. A key of another council is
   * {@link Revocation#NOT_FOUND}, and revoking twice keeps the first revocation time.
   */
  public Revocation revoke(CouncilRef council, long id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE api_key SET revoked_at = coalesce(revoked_at, now())"
                    + " WHERE council_id = ? AND api_key_id = ?"
                    // now() is this statement's transaction time: equal only when set just now
                    + " RETURNING revoked_at = now()")) {
      ps.setInt(1, council.id());
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Revocation.NOT_FOUND;
        }
        return rs.getBoolean(1) ? Revocation.REVOKED : Revocation.ALREADY_REVOKED;
      }
    }
  }

  /** The council a key belongs to; empty for an unknown or revoked key. */
  public Optional<CouncilRef> council(String key) throws SQLException {
    return principal(key).map(ApiPrincipal::council);
  }

  /** Who holds {@code key}: council, role, id, label; empty for an unknown or revoked key. */
  public Optional<ApiPrincipal> principal(String key) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT c.council_id, c.slug, k.role, k.api_key_id, k.label"
                    + " FROM api_key k JOIN council c USING (council_id)"
                    + " WHERE k.key_sha256 = ? AND k.revoked_at IS NULL")) {
      ps.setBytes(1, sha256(key));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new ApiPrincipal(
                    new CouncilRef(rs.getInt(1), rs.getString(2)),
                    ApiRole.fromCode(rs.getString(3)).orElse(ApiRole.VIEWER),
                    rs.getLong(4),
                    rs.getString(5)))
            : Optional.empty();
      }
    }
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
