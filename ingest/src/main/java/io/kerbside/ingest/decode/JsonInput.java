package io.kerbside.ingest.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads a whole message into a JSON tree within the {@link DecodeLimits}, for the decoders of
 * network-server and SenML messages, and checks reading times against the accepted window.
 * Thread-safe.
 */
final class JsonInput {
  private final DecodeLimits limits;
  private final ObjectMapper mapper;

  /** Either the parsed tree or the rejection of the whole message. */
  record Parsed(JsonNode tree, DecodedMessage rejected) {}

  JsonInput(DecodeLimits limits) {
    this.limits = limits;
    JsonFactory factory = limits.jsonFactory();
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  DecodeLimits limits() {
    return limits;
  }

  Parsed parse(RawMessage msg) {
    if (msg.payload().length > limits.maxPayloadBytes()) {
      return new Parsed(
          null,
          DecodedMessage.rejected(
              msg,
              RejectionReason.PAYLOAD_TOO_LARGE,
              msg.payload().length + " bytes, limit " + limits.maxPayloadBytes()));
    }
    if (msg.payload().length == 0) {
      return new Parsed(
          null, DecodedMessage.rejected(msg, RejectionReason.EMPTY_MESSAGE, "empty payload"));
    }
    try {
      JsonNode tree = mapper.readTree(msg.payload());
      if (tree == null || tree.isMissingNode()) {
        return new Parsed(
            null, DecodedMessage.rejected(msg, RejectionReason.EMPTY_MESSAGE, "empty payload"));
      }
      return new Parsed(tree, null);
    } catch (StreamConstraintsException e) {
      return new Parsed(
          null,
          DecodedMessage.rejected(
              msg, RejectionReason.NESTING_TOO_DEEP, firstLine(e.getOriginalMessage())));
    } catch (JsonProcessingException e) {
      return new Parsed(
          null,
          DecodedMessage.rejected(
              msg, RejectionReason.MALFORMED_JSON, firstLine(e.getOriginalMessage())));
    } catch (IOException e) {
      return new Parsed(
          null,
          DecodedMessage.rejected(msg, RejectionReason.MALFORMED_JSON, firstLine(e.getMessage())));
    }
  }

  ObjectNode newObject() {
    return JsonNodeFactory.instance.objectNode();
  }

  String write(ObjectNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /**
   * A rejection when {@code at} lies outside the accepted window around {@code received}, else
   * null.
   */
  Rejection outsideWindow(Instant at, Instant received, String where) {
    if (at.isAfter(received.plus(limits.maxFuture()))) {
      return new Rejection(
          RejectionReason.FUTURE_TIMESTAMP,
          where
              + "time "
              + at
              + " is more than "
              + limits.maxFuture().toSeconds()
              + " s after receipt at "
              + received);
    }
    if (at.isBefore(received.minus(limits.maxAge()))) {
      return new Rejection(
          RejectionReason.TOO_OLD,
          where
              + "time "
              + at
              + " is older than the retention window of "
              + limits.maxAge().toDays()
              + " days");
    }
    return null;
  }

  /** An RFC 3339 time such as {@code 2026-11-27T10:00:00.123456Z}; null when unreadable. */
  static Instant rfc3339(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return null;
    }
    return OffsetTimestamps.parse(node.asText());
  }

  /** A field's text, or null when absent, null or not a string. */
  static String text(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  static String firstLine(String s) {
    if (s == null) {
      return "unreadable JSON";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
