package io.kerbside.ingest.pipeline;

import io.kerbside.ingest.decode.DecodedMessage;

/** A decoded message waiting to be committed and acknowledged. */
public record InFlightMessage(
    DecodedMessage decoded, int messageId, int qos, long connectionEpoch) {

  int bytes() {
    return decoded.raw().payload().length;
  }
}
