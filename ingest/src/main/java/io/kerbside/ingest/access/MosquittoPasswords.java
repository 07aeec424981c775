package io.kerbside.ingest.access;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes as Mosquitto 2.0's password file holds them ({@code mosquitto_passwd}'s default
 * {@code sha512-pbkdf2}): {@code $7$<iterations>$<salt, base64>$<PBKDF2-HMAC-SHA512, base64>}.
 */
final class MosquittoPasswords {
  static final int ITERATIONS = 101;
  private static final int SALT_BYTES = 12;
  private static final int HASH_BITS = 512;
  private static final SecureRandom RANDOM = new SecureRandom();

  private MosquittoPasswords() {}

  /** A new random password for a device: 24 random bytes, base64url. */
  static String newPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The password file's hash of {@code password}, with a fresh salt. */
  static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return hash(password, salt, ITERATIONS);
  }

  static String hash(String password, byte[] salt, int iterations) {
    try {
      // the JDK's PBKDF2 hashes the password's UTF-8 bytes, as Mosquitto does
      char[] chars = password.toCharArray();
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
      byte[] derived =
          f.generateSecret(new PBEKeySpec(chars, salt, iterations, HASH_BITS)).getEncoded();
      Base64.Encoder b64 = Base64.getEncoder();
      return "$7$"
          + iterations
          + "$"
          + b64.encodeToString(salt)
          + "$"
          + b64.encodeToString(derived);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is part of every Java runtime", e);
    }
  }
}
