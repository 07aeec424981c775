package io.kerbside.ingest.decode;

import java.util.Locale;

/** Payload formats a subscription can be configured with. */
public enum PayloadFormat {
  /** Kerbside's own JSON: topic {@code .../<kind>/<device-id>}, see the README. */
  NATIVE;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
