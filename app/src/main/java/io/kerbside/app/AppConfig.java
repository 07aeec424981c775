package io.kerbside.app;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;

/**
 * Process-level settings.
 *
 * @param httpHost address the operational endpoints bind to ({@code KERBSIDE_HTTP_HOST})
 * @param httpPort their port ({@code KERBSIDE_HTTP_PORT}); 0 picks a free one
 */
public record AppConfig(String httpHost, int httpPort) {
  public static final String HTTP_HOST = "KERBSIDE_HTTP_HOST";
  public static final String HTTP_PORT = "KERBSIDE_HTTP_PORT";

  public static AppConfig from(Settings s) {
    String host = s.string(HTTP_HOST, "127.0.0.1");
    if (host.isBlank() || host.contains("/")) {
      throw new ConfigException(HTTP_HOST + " must be an address such as 127.0.0.1, got '" + host + "'");
    }
    return new AppConfig(host, s.intBetween(HTTP_PORT, 8080, 0, 65_535));
  }
}
