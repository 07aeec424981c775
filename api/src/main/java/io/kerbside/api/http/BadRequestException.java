package io.kerbside.api.http;

/** The caller's request cannot be served as asked; the message says why and is shown to them. */
public final class BadRequestException extends RuntimeException {
  public BadRequestException(String message) {
    super(message, null, false, false);
  }
}
