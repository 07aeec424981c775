package io.kerbside.core.config;

/**
 * How strict start-up is. {@code production} refuses missing credentials and turns device
 * auto-registration off by default; {@code development} (the default) runs against local services
 * with no credentials.
 */
public enum Environment {
  DEVELOPMENT,
  PRODUCTION;

  public static final String KEY = "KERBSIDE_ENV";

  public static Environment from(Settings settings) {
    return settings.choice(KEY, DEVELOPMENT);
  }
}
