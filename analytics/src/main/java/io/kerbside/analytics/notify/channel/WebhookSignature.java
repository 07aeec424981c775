package io.kerbside.analytics.notify.channel;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: {@code sha256=} and the lower-case hex HMAC-SHA256, under the channel
 * secret, of the {@code X-Kerbside-Timestamp} value (Unix seconds), a full stop, and the raw body.
 * Signing the timestamp lets a receiver refuse replays of old requests.
 */
public final class WebhookSignature {
  public static final String SIGNATURE_HEADER = "X-Kerbside-Signature";
  public static final String TIMESTAMP_HEADER = "X-Kerbside-Timestamp";

  private WebhookSignature() {}

  public static String sign(String secret, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(Long.toString(timestampSeconds).getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Checks a signature in constant time, as a receiver should. */
  public static boolean verify(String secret, long timestampSeconds, byte[] body, String header) {
    if (header == null) {
      return false;
    }
    byte[] expected = sign(secret, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.US_ASCII));
  }
}
