package io.kerbside.registry.store;

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
import java.util.Base64;
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

  /** Creates a key for {@code council}; the returned secret is the only copy. */
  public Secret create(CouncilRef council, String label) throws SQLException {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String key = "kbs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO api_key (council_id, key_sha256, label) VALUES (?, ?, ?)")) {
      ps.setInt(1, council.id());
      ps.setBytes(2, sha256(key));
      ps.setString(3, label);
      ps.executeUpdate();
    }
    return Secret.of(key);
  }

  /** The council a key belongs to; empty for an unknown or revoked key. */
  public Optional<CouncilRef> council(String key) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT c.council_id, c.slug FROM api_key k JOIN council c USING (council_id)"
                    + " WHERE k.key_sha256 = ? AND k.revoked_at IS NULL")) {
      ps.setBytes(1, sha256(key));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new CouncilRef(rs.getInt(1), rs.getString(2)))
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
