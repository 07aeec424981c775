package io.kerbside.core.tls;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a client authenticates a TLS server and itself: the CA bundle to trust instead of the JVM's
 * default ({@code cacerts}), and an optional client certificate with its key. All are PEM file
 * paths; the files are read and checked when the settings are loaded and again by every {@link
 * #socketFactory()} call.
 *
 * @param caFile CA certificates to trust; empty for the JVM's default trust store
 * @param certFile client certificate chain, leaf first; present exactly when {@code keyFile} is
 * @param keyFile its unencrypted PKCS#8 (or PKCS#1 RSA) private key
 * @param caSetting the setting that names {@code caFile}, for messages
 * @param certSetting the setting that names {@code certFile}
 * @param keySetting the setting that names {@code keyFile}
 */
public record ClientTls(
    Optional<Path> caFile,
    Optional<Path> certFile,
    Optional<Path> keyFile,
    String caSetting,
    String certSetting,
    String keySetting) {

  /**
   * Reads and checks the three settings: each file readable PEM, certificate and key both or
   * neither, the key matching the certificate.
   *
   * @throws ConfigException naming the setting at fault
   */
  public static ClientTls from(
      Settings s, String caSetting, String certSetting, String keySetting) {
    return of(
        path(s, caSetting),
        path(s, certSetting),
        path(s, keySetting),
        caSetting,
        certSetting,
        keySetting);
  }

  /**
   * Checks files named elsewhere (a routes file): each readable PEM, certificate and key both or
   * neither, the key matching the certificate.
   *
   * @throws ConfigException naming the setting at fault
   */
  public static ClientTls of(
      Optional<Path> ca,
      Optional<Path> cert,
      Optional<Path> key,
      String caSetting,
      String certSetting,
      String keySetting) {
    if (cert.isPresent() != key.isPresent()) {
      throw new ConfigException(
          certSetting + " and " + keySetting + " must be set together (or neither)");
    }
    ClientTls tls = new ClientTls(ca, cert, key, caSetting, certSetting, keySetting);
    tls.socketFactory();
    return tls;
  }

  private static Optional<Path> path(Settings s, String setting) {
    String raw = s.string(setting, "");
    return raw.isEmpty() ? Optional.empty() : Optional.of(Path.of(raw));
  }

  /** True when nothing is configured: the JVM's default trust and no client certificate. */
  public boolean isDefault() {
    return caFile.isEmpty() && certFile.isEmpty();
  }

  /** True when a client certificate is configured. */
  public boolean hasClientCertificate() {
    return certFile.isPresent();
  }

  /**
   * A socket factory for TLS 1.2 or 1.3 connections that trusts {@link #caFile} (or the JVM's
   * default) and presents the client certificate, if any. Hostname verification is the caller's
   * (Paho: {@code setHttpsHostnameVerificationEnabled(true)}).
   *
   * @throws ConfigException naming the setting whose file is missing or broken
   */
  public SSLSocketFactory socketFactory() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(), trustManagers(), new SecureRandom());
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  private TrustManager[] trustManagers() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caFile.isEmpty()) {
      tmf.init((KeyStore) null);
      return tmf.getTrustManagers();
    }
    KeyStore trusted = emptyStore();
    int i = 0;
    for (X509Certificate ca : PemFiles.certificates(caSetting, caFile.get())) {
      trusted.setCertificateEntry("ca-" + i++, ca);
    }
    tmf.init(trusted);
    return tmf.getTrustManagers();
  }

  private KeyManager[] keyManagers() throws GeneralSecurityException {
    if (certFile.isEmpty()) {
      return null;
    }
    List<X509Certificate> chain = PemFiles.certificates(certSetting, certFile.get());
    PrivateKey key = PemFiles.privateKey(keySetting, keyFile.get(), chain.get(0), certSetting);
    char[] none = new char[0];
    KeyStore store = emptyStore();
    store.setKeyEntry("client", key, none, chain.toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, none);
    return kmf.getKeyManagers();
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return store;
  }

  /** The configured files, for a start-up line. */
  public String describe() {
    return "CA "
        + caFile.map(Path::toString).orElse("of the JVM")
        + certFile.map(c -> ", client certificate " + c).orElse("");
  }
}
