package io.kerbside.ingest.decode;

import java.util.Locale;

/**
 * Why a message, or an element of it, was not stored. The code is stored and used as a metric tag.
 */
public enum RejectionReason {
  PAYLOAD_TOO_LARGE,
  MALFORMED_JSON,
  NESTING_TOO_DEEP,
  WRONG_TYPE,
  BAD_TIMESTAMP,
  OUT_OF_RANGE,
  FUTURE_TIMESTAMP,
  TOO_OLD,
  EMPTY_MESSAGE,
  BAD_TOPIC,
  UNKNOWN_DEVICE,
  KIND_MISMATCH,
  /** The database refused the message's content (e.g. text it cannot store). */
  STORE_REJECTED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
