package io.kerbside.ingest.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.kerbside.core.DeviceId;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decodes Kerbside's native format: topic {@code [prefix/]<kind>/<device-id>}, payload a JSON
 * object or an array of them with optional {@code ts} (ISO-8601 with offset, or epoch
 * milliseconds), optional {@code seq} and metric fields named as in {@link Metric}. Unknown fields
 * are kept as {@code extra}. Each element of an array is accepted or rejected on its own.
 */
public final class NativeDecoder implements MessageDecoder {
  private static final int METRICS = Metric.values().length;

  private final DecodeLimits limits;
  private final JsonFactory json;

  public NativeDecoder(DecodeLimits limits) {
    this.limits = limits;
    this.json = limits.jsonFactory();
  }

  @Override
  public DecodedMessage decode(RawMessage msg) {
    if (msg.payload().length > limits.maxPayloadBytes()) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.PAYLOAD_TOO_LARGE,
          msg.payload().length + " bytes, limit " + limits.maxPayloadBytes());
    }
    Optional<DeviceKey> device = deviceFromTopic(msg);
    if (device.isEmpty()) {
      return DecodedMessage.rejected(
          msg, RejectionReason.BAD_TOPIC, "expected .../<bin|streetlight|pavement>/<device-id>");
    }
    List<Reading> readings = new ArrayList<>();
    List<Rejection> rejections = new ArrayList<>();
    try (JsonParser p = json.createParser(msg.payload())) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_OBJECT) {
        element(p, msg, device.get(), -1, readings, rejections);
      } else if (first == JsonToken.START_ARRAY) {
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t != JsonToken.START_OBJECT) {
            rejections.add(
                new Rejection(
                    RejectionReason.WRONG_TYPE, "element " + index + " is not an object"));
            p.skipChildren();
          } else {
            element(p, msg, device.get(), index, readings, rejections);
          }
          index++;
        }
        if (index == 0) {
          rejections.add(new Rejection(RejectionReason.EMPTY_MESSAGE, "empty array"));
        }
      } else if (first == null) {
        return DecodedMessage.rejected(msg, RejectionReason.EMPTY_MESSAGE, "empty payload");
      } else {
        return DecodedMessage.rejected(
            msg, RejectionReason.WRONG_TYPE, "payload must be a JSON object or array");
      }
      if (p.nextToken() != null) {
        return DecodedMessage.rejected(
            msg, RejectionReason.MALFORMED_JSON, "trailing content after the JSON value");
      }
    } catch (StreamConstraintsException e) {
      return DecodedMessage.rejected(
          msg, RejectionReason.NESTING_TOO_DEEP, JsonInput.firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      return DecodedMessage.rejected(
          msg, RejectionReason.MALFORMED_JSON, JsonInput.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      return DecodedMessage.rejected(
          msg, RejectionReason.MALFORMED_JSON, JsonInput.firstLine(e.getMessage()));
    }
    return new DecodedMessage(msg, readings, rejections);
  }

  static Optional<DeviceKey> deviceFromTopic(RawMessage msg) {
    String topic = msg.topic();
    int last = topic.lastIndexOf('/');
    if (last <= 0) {
      return Optional.empty();
    }
    int before = topic.lastIndexOf('/', last - 1);
    String kindCode = topic.substring(before + 1, last);
    String id = topic.substring(last + 1);
    Optional<DeviceKind> kind = DeviceKind.fromCode(kindCode);
    if (kind.isEmpty() || !DeviceId.isValid(id)) {
      return Optional.empty();
    }
    return Optional.of(new DeviceKey(msg.council().id(), kind.get(), id));
  }

  /** Reads one object (the parser is on its START_OBJECT) into a reading or a rejection. */
  private void element(
      JsonParser p,
      RawMessage msg,
      DeviceKey device,
      int index,
      List<Reading> readings,
      List<Rejection> rejections)
      throws IOException {
    String where = index < 0 ? "" : "element " + index + ": ";
    double[] values = new double[METRICS];
    Arrays.fill(values, Double.NaN);
    Instant at = null;
    long seq = Reading.NO_SEQ;
    Rejection problem = null;
    StringWriter extraText = null;
    JsonGenerator extra = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (problem != null) {
        p.skipChildren();
        continue;
      }
      if (v == JsonToken.VALUE_NULL) {
        continue;
      }
      if (field.equals("ts")) {
        at = timestamp(p, v);
        if (at == null) {
          problem =
              new Rejection(
                  RejectionReason.BAD_TIMESTAMP,
                  where + "ts must be ISO-8601 with an offset or epoch milliseconds");
        }
        continue;
      }
      if (field.equals("seq")) {
        if (v != JsonToken.VALUE_NUMBER_INT) {
          problem = new Rejection(RejectionReason.WRONG_TYPE, where + "seq must be an integer");
        } else if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
          problem =
              new Rejection(
                  RejectionReason.OUT_OF_RANGE, where + "seq must be between 0 and 2^63-1");
        } else {
          seq = p.getLongValue();
        }
        continue;
      }
      Optional<Metric> metric = Metric.fromCode(field);
      if (metric.isPresent() && metric.get().appliesTo(device.kind())) {
        problem = metricValue(p, v, metric.get(), values, where);
        continue;
      }
      if (extra == null) {
        extraText = new StringWriter();
        extra = json.createGenerator(extraText);
        extra.writeStartObject();
      }
      extra.writeFieldName(field);
      extra.copyCurrentStructure(p);
    }
    if (problem != null) {
      rejections.add(problem);
      return;
    }
    Instant received = msg.receivedAt();
    if (at == null) {
      at = received;
    } else if (at.isAfter(received.plus(limits.maxFuture()))) {
      rejections.add(
          new Rejection(
              RejectionReason.FUTURE_TIMESTAMP,
              where
                  + "ts "
                  + at
                  + " is more than "
                  + limits.maxFuture().toSeconds()
                  + " s after receipt at "
                  + received));
      return;
    } else if (at.isBefore(received.minus(limits.maxAge()))) {
      rejections.add(
          new Rejection(
              RejectionReason.TOO_OLD,
              where
                  + "ts "
                  + at
                  + " is older than the retention window of "
                  + limits.maxAge().toDays()
                  + " days"));
      return;
    }
    String extraJson = null;
    if (extra != null) {
      extra.writeEndObject();
      extra.close();
      extraJson = extraText.toString();
    }
    readings.add(new Reading(device, at, seq, values, extraJson));
  }

  private static Rejection metricValue(
      JsonParser p, JsonToken v, Metric metric, double[] values, String where) throws IOException {
    double value;
    if (metric.isFlag()) {
      if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
        p.skipChildren();
        return new Rejection(
            RejectionReason.WRONG_TYPE, where + metric.code() + " must be true or false");
      }
      value = v == JsonToken.VALUE_TRUE ? 1 : 0;
    } else {
      if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
        p.skipChildren();
        return new Rejection(
            RejectionReason.WRONG_TYPE, where + metric.code() + " must be a number");
      }
      value = p.getDoubleValue();
      if (!metric.inRange(value)) {
        return new Rejection(
            RejectionReason.OUT_OF_RANGE,
            where
                + metric.code()
                + " = "
                + value
                + " outside "
                + metric.min()
                + ".."
                + metric.max());
      }
    }
    values[metric.ordinal()] = value;
    return null;
  }

  private static Instant timestamp(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      long ms = p.getLongValue();
      return ms >= 0 && ms < 32_503_680_000_000L ? Instant.ofEpochMilli(ms) : null;
    }
    if (v == JsonToken.VALUE_STRING) {
      return OffsetTimestamps.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }
    p.skipChildren();
    return null;
  }
}
