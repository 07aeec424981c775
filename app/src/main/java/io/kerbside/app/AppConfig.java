package io.kerbside.app;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Environment;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;

/**
 * Process-level settings.
 *
 * @param httpHost address the operational endpoints bind to ({@code KERBSIDE_HTTP_HOST})
 * @param httpPort their port ({@code KERBSIDE_HTTP_PORT}); 0 picks a free one
 * @param httpToken bearer token required for {@code /metrics} and {@code /ready} when set ({@code
 *     KERBSIDE_HTTP_TOKEN}); {@code /health} stays open for liveness probes
 */
public record AppConfig(String httpHost, int httpPort, Secret httpToken) {
  public static final String HTTP_HOST = "KERBSIDE_HTTP_HOST";
  public static final String HTTP_PORT = "KERBSIDE_HTTP_PORT";
  public static final String HTTP_TOKEN = "KERBSIDE_HTTP_TOKEN";

  public static AppConfig from(Settings s) {
    String host = s.string(HTTP_HOST, "127.0.0.1");
    if (host.isBlank() || host.contains("/")) {
      throw new ConfigException(
          HTTP_HOST + " must be an address such as 127.0.0.1, got '" + host + "'");
    }
    Secret token = s.secret(HTTP_TOKEN);
    boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    if (Environment.from(s) == Environment.PRODUCTION && !loopback && token.isEmpty()) {
      throw new ConfigException(
          HTTP_TOKEN
              + " must be set when KERBSIDE_ENV=production and "
              + HTTP_HOST
              + " is not a loopback address");
    }
    return new AppConfig(host, s.intBetween(HTTP_PORT, 8080, 0, 65_535), token);
  }
}
