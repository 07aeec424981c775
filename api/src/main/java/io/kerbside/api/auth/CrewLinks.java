package io.kerbside.api.auth;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed links for crews: a token {@code <payload>.<signature>}, both base64url, where the payload
 * is {@code v1|<council id>|<council slug>|<expiry, epoch seconds>|<crew name>} and the signature
 * its HMAC-SHA256 under the installation's secret ({@code KERBSIDE_CREW_LINK_SECRET}). Nothing is
 * stored: a link is valid until it expires, and changing the secret voids every link at once.
 * Thread-safe.
 */
public final class CrewLinks {
  /** Shortest secret accepted: 32 characters, about as strong as the HMAC's own output. */
  public static final int MIN_SECRET_LENGTH = 32;

  /** A crew's name: letters, digits, spaces and {@code . _ ' -}, 1 to 64 characters. */
  public static final Pattern CREW_NAME =
      Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._'-]{0,63}");

  /** Longer than any token this class makes: refused unread. */
  static final int MAX_TOKEN_LENGTH = 600;

  private static final String VERSION = "v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final byte[] key;
  private final Clock clock;

  /**
   * @throws IllegalArgumentException when the secret is shorter than {@link #MIN_SECRET_LENGTH}
   */
  public CrewLinks(Secret secret, Clock clock) {
    if (secret.isEmpty() || secret.reveal().length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "a crew link secret has at least " + MIN_SECRET_LENGTH + " characters");
    }
    this.key = secret.reveal().getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  /**
   * A token for {@code crew} of {@code council}, valid until {@code expiresAt}.
   *
   * @throws IllegalArgumentException when the crew's name does not match {@link #CREW_NAME}
   */
  public String sign(CouncilRef council, String crew, Instant expiresAt) {
    if (crew == null || !CREW_NAME.matcher(crew).matches()) {
      throw new IllegalArgumentException(
          "a crew's name has 1 to 64 letters, digits, spaces or . _ ' - and starts with a letter"
              + " or digit");
    }
    String payload =
        String.join(
            "|",
            VERSION,
            Integer.toString(council.id()),
            council.slug(),
            Long.toString(expiresAt.getEpochSecond()),
            crew);
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(bytes) + "." + B64.encodeToString(mac(bytes));
  }

  /** The pass a token carries; empty when it is malformed, tampered with or expired. */
  public Optional<CrewPass> verify(String token) {
    if (token == null || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return Optional.empty();
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = B64D.decode(token.substring(0, dot));
      signature = B64D.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(mac(payload), signature)) {
      return Optional.empty();
    }
    String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|", 5);
    if (parts.length != 5 || !parts[0].equals(VERSION)) {
      return Optional.empty();
    }
    try {
      Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[3]));
      if (!clock.instant().isBefore(expires)) {
        return Optional.empty();
      }
      return Optional.of(
          new CrewPass(new CouncilRef(Integer.parseInt(parts[1]), parts[2]), parts[4], expires));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(payload);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
    }
  }
}
