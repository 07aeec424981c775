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
  /** A required field is absent (e.g. {@code uplink_message}, a SenML record's value). */
  MISSING_FIELD,
  /** Bytes that are not valid base64 where base64 is expected. */
  BAD_ENCODING,
  /** No device profile matches the device (by network device profile, application or model). */
  UNKNOWN_PROFILE,
  /** The payload names a different device than the topic. */
  DEVICE_MISMATCH,
  /** A network event type that carries no readings (e.g. join, ack) or a topic of another event. */
  UNSUPPORTED_EVENT,
  /** A SenML record whose resolved name is empty or has characters RFC 8428 does not allow. */
  INVALID_NAME,
  /** A SenML base version newer than the one Kerbside reads. */
  UNSUPPORTED_VERSION,
  /** The database refused the message's content (e.g. text it cannot store). */
  STORE_REJECTED,
  /**
   * The topic matches none of the configured filters, typically one since removed from the setting
   * whose messages the broker still holds in the persistent session. It belongs to no council.
   */
  NO_SUBSCRIPTION;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
