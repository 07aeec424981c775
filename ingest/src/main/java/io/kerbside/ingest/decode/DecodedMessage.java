package io.kerbside.ingest.decode;

import java.util.List;

/**
 * What a decoder made of a message: the readings to store and the rejections to dead-letter. A
 * message can yield both (a buffered array with one bad element).
 */
public record DecodedMessage(RawMessage raw, List<Reading> readings, List<Rejection> rejections) {

  public static DecodedMessage rejected(RawMessage raw, RejectionReason reason, String detail) {
    return new DecodedMessage(raw, List.of(), List.of(new Rejection(reason, detail)));
  }
}
