package io.kerbside.analytics.notify;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What became of one delivery attempt. {@code statusCode} is the destination's answer where it has
 * one (an HTTP status), for the delivery log.
 */
public sealed interface DeliveryOutcome {
  OptionalInt statusCode();

  /** The destination accepted the notice; {@code externalId} is its reference, if it gave one. */
  record Delivered(Optional<String> externalId, OptionalInt statusCode)
      implements DeliveryOutcome {}

  /** Worth trying again later: the destination is down, overloaded or too slow. */
  record RetryableFailure(String error, OptionalInt statusCode) implements DeliveryOutcome {}

  /** Trying again cannot help: the destination refused the notice itself. */
  record PermanentFailure(String error, OptionalInt statusCode) implements DeliveryOutcome {}

  static DeliveryOutcome delivered() {
    return new Delivered(Optional.empty(), OptionalInt.empty());
  }

  static DeliveryOutcome delivered(String externalId, int statusCode) {
    return new Delivered(Optional.ofNullable(externalId), OptionalInt.of(statusCode));
  }

  static DeliveryOutcome retry(String error) {
    return new RetryableFailure(error, OptionalInt.empty());
  }

  static DeliveryOutcome retry(String error, int statusCode) {
    return new RetryableFailure(error, OptionalInt.of(statusCode));
  }

  static DeliveryOutcome permanent(String error) {
    return new PermanentFailure(error, OptionalInt.empty());
  }

  static DeliveryOutcome permanent(String error, int statusCode) {
    return new PermanentFailure(error, OptionalInt.of(statusCode));
  }
}
