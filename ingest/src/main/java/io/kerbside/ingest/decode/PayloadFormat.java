package io.kerbside.ingest.decode;

import java.util.Locale;

/** Payload formats a subscription can be configured with. */
public enum PayloadFormat {
  /** Kerbside's own JSON: topic {@code .../<kind>/<device-id>}, see the README. */
  NATIVE,
  /** The Things Stack v3 uplinks: topic {@code v3/<app>@<tenant>/devices/<device-id>/up}. */
  TTN,
  /**
   * ChirpStack v4 events: topic {@code application/<app-id>/device/<dev-eui>/event/<up|status>}.
   */
  CHIRPSTACK,
  /** SenML JSON (RFC 8428) records: topic {@code .../<kind>/<device-id>} as native. */
  SENML;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
