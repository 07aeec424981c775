package io.kerbside.app;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Environment;
import io.kerbside.core.config.Plaintext;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.tls.PemFiles;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Process-level settings.
 *
 * @param httpHost address the operational endpoints bind to ({@code KERBSIDE_HTTP_HOST})
 * @param httpPort their port ({@code KERBSIDE_HTTP_PORT}); 0 picks a free one
 * @param httpToken bearer token required for {@code /metrics} and {@code /ready} when set ({@code
 *     KERBSIDE_HTTP_TOKEN}); {@code /health} stays open for liveness probes
 * @param httpTlsCert PEM certificate chain, leaf first, that the server presents ({@code
 *     KERBSIDE_HTTP_TLS_CERT}); when present the server speaks HTTPS only
 * @param httpTlsKey its PEM private key ({@code KERBSIDE_HTTP_TLS_KEY}); present exactly when
 *     {@code httpTlsCert} is, and checked to match it
 * @param httpBehindProxy a TLS-terminating proxy in front carries the traffic from other machines
 *     ({@code KERBSIDE_HTTP_BEHIND_PROXY}); lets production listen on a non-loopback address
 *     without TLS of its own
 */
public record AppConfig(
    String httpHost,
    int httpPort,
    Secret httpToken,
    Optional<Path> httpTlsCert,
    Optional<Path> httpTlsKey,
    boolean httpBehindProxy) {
  public static final String HTTP_HOST = "KERBSIDE_HTTP_HOST";
  public static final String HTTP_PORT = "KERBSIDE_HTTP_PORT";
  public static final String HTTP_TOKEN = "KERBSIDE_HTTP_TOKEN";
  public static final String HTTP_TLS_CERT = "KERBSIDE_HTTP_TLS_CERT";
  public static final String HTTP_TLS_KEY = "KERBSIDE_HTTP_TLS_KEY";
  public static final String HTTP_BEHIND_PROXY = "KERBSIDE_HTTP_BEHIND_PROXY";

  public static AppConfig from(Settings s) {
    String host = s.string(HTTP_HOST, "127.0.0.1");
    if (host.isBlank() || host.contains("/")) {
      throw new ConfigException(
          HTTP_HOST + " must be an address such as 127.0.0.1, got '" + host + "'");
    }
    Secret token = s.secret(HTTP_TOKEN);
    boolean loopback = Plaintext.isLoopback(host);
    boolean production = Environment.from(s) == Environment.PRODUCTION;
    if (production && !loopback && token.isEmpty()) {
      throw new ConfigException(
          HTTP_TOKEN
              + " must be set when KERBSIDE_ENV=production and "
              + HTTP_HOST
              + " is not a loopback address");
    }
    Optional<Path> cert = path(s, HTTP_TLS_CERT);
    Optional<Path> key = path(s, HTTP_TLS_KEY);
    if (cert.isPresent() != key.isPresent()) {
      throw new ConfigException(
          HTTP_TLS_CERT + " and " + HTTP_TLS_KEY + " must be set together (or neither)");
    }
    if (cert.isPresent()) {
      X509Certificate leaf = PemFiles.certificates(HTTP_TLS_CERT, cert.get()).get(0);
      PemFiles.privateKey(HTTP_TLS_KEY, key.get(), leaf, HTTP_TLS_CERT);
    }
    boolean behindProxy = s.bool(HTTP_BEHIND_PROXY, false);
    if (production && !loopback && cert.isEmpty() && !behindProxy) {
      throw new ConfigException(
          HTTP_TLS_CERT
              + " and "
              + HTTP_TLS_KEY
              + " must be set when KERBSIDE_ENV=production and "
              + HTTP_HOST
              + " is not a loopback address ('"
              + host
              + "'); or set "
              + HTTP_BEHIND_PROXY
              + "=true when a proxy in front terminates TLS");
    }
    return new AppConfig(
        host, s.intBetween(HTTP_PORT, 8080, 0, 65_535), token, cert, key, behindProxy);
  }

  private static Optional<Path> path(Settings s, String setting) {
    String raw = s.string(setting, "");
    return raw.isEmpty() ? Optional.empty() : Optional.of(Path.of(raw));
  }

  /** Whether the server speaks HTTPS (and only HTTPS). */
  public boolean httpsEnabled() {
    return httpTlsCert.isPresent();
  }

  /** {@code https} or {@code http}, for the start-up line. */
  public String httpScheme() {
    return httpsEnabled() ? "https" : "http";
  }
}
