package io.kerbside.core.tls;

import io.kerbside.core.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys. Keys may be unencrypted PKCS#8 ({@code BEGIN PRIVATE
 * KEY}) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}); anything else is refused with the {@code
 * openssl} command that converts it.
 */
public final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

  /** DER of {@code AlgorithmIdentifier { rsaEncryption, NULL }}. */
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private PemFiles() {}

  /**
   * Every certificate in {@code file}, in order (a bundle or a chain, leaf first).
   *
   * @throws ConfigException naming {@code setting} when the file cannot be read or holds no
   *     certificate
   */
  public static List<X509Certificate> certificates(String setting, Path file) {
    String text = read(setting, file);
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        if (m.group(1).equals("CERTIFICATE")) {
          byte[] der = decode(setting, file, m.group(2));
          certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
        }
      }
    } catch (CertificateException e) {
      throw new ConfigException(
          setting + " names a file with an unreadable certificate: " + file + " (" + e + ")");
    }
    if (certs.isEmpty()) {
      throw new ConfigException(
          setting + " must name a PEM file with BEGIN CERTIFICATE blocks, got " + file);
    }
    return List.copyOf(certs);
  }

  /**
   * The private key in {@code file}, checked to belong to {@code certificate}.
   *
   * @throws ConfigException naming {@code setting} when the file cannot be read, holds no supported
   *     key, or holds a key that does not match the certificate named by {@code certSetting}
   */
  public static PrivateKey privateKey(
      String setting, Path file, X509Certificate certificate, String certSetting) {
    String text = read(setting, file);
    Matcher m = BLOCK.matcher(text);
    byte[] pkcs8 = null;
    while (m.find() && pkcs8 == null) {
      switch (m.group(1)) {
        case "PRIVATE KEY" -> pkcs8 = decode(setting, file, m.group(2));
        case "RSA PRIVATE KEY" -> pkcs8 = wrapRsa(decode(setting, file, m.group(2)));
        case "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" ->
            throw new ConfigException(
                setting
                    + " names a file with a '"
                    + m.group(1)
                    + "' block: "
                    + file
                    + "; give an unencrypted PKCS#8 key (openssl pkcs8 -topk8 -nocrypt -in key.pem"
                    + " -out key-pkcs8.pem)");
        default -> {
          // certificates and parameters may share the file
        }
      }
    }
    if (pkcs8 == null) {
      throw new ConfigException(
          setting + " must name a PEM file with a BEGIN PRIVATE KEY block, got " + file);
    }
    PublicKey publicKey = certificate.getPublicKey();
    PrivateKey key;
    try {
      key =
          KeyFactory.getInstance(publicKey.getAlgorithm())
              .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          setting
              + " names a key in "
              + file
              + " that is not a "
              + publicKey.getAlgorithm()
              + " key like the certificate of "
              + certSetting);
    }
    if (!matches(key, publicKey)) {
      throw new ConfigException(
          setting
              + " names a key in "
              + file
              + " that does not match the certificate of "
              + certSetting);
    }
    return key;
  }

  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    String algorithm =
        switch (publicKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "DSA" -> "SHA256withDSA";
          default -> publicKey.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String read(String setting, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(setting + " names a file that does not exist: " + file);
    }
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(setting + " names a file that cannot be read: " + file);
    } catch (RuntimeException e) {
      throw new ConfigException(setting + " names a file that is not PEM text: " + file);
    }
  }

  private static byte[] decode(String setting, Path file, String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting + " names a file with broken PEM base64: " + file);
    }
  }

  /** PKCS#1 {@code RSAPrivateKey} inside a PKCS#8 {@code PrivateKeyInfo}. */
  private static byte[] wrapRsa(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octets = der(0x04, pkcs1);
    byte[] body = new byte[version.length + RSA_ALGORITHM.length + octets.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(RSA_ALGORITHM, 0, body, version.length, RSA_ALGORITHM.length);
    System.arraycopy(octets, 0, body, version.length + RSA_ALGORITHM.length, octets.length);
    return der(0x30, body);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] length;
    if (n < 0x80) {
      length = new byte[] {(byte) n};
    } else if (n < 0x100) {
      length = new byte[] {(byte) 0x81, (byte) n};
    } else if (n < 0x10000) {
      length = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    } else {
      length = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
    byte[] out = new byte[1 + length.length + n];
    out[0] = (byte) tag;
    System.arraycopy(length, 0, out, 1, length.length);
    System.arraycopy(content, 0, out, 1 + length.length, n);
    return out;
  }
}
