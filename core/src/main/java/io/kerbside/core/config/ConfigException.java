package io.kerbside.core.config;

/** Invalid or missing configuration; the message names the setting and never holds a secret. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
