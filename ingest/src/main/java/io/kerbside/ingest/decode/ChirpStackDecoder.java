package io.kerbside.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kerbside.core.Metric;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes ChirpStack v4 integration events: topic {@code
 * application/<application-id>/device/<dev-eui>/event/<up|status>}. The device id is the DevEUI of
 * the topic in lower-case hex (stable across renames, unlike {@code deviceInfo.deviceName}) and
 * must agree with {@code deviceInfo.devEui}; kind and metrics come from the {@link DeviceProfile}
 * named by {@code deviceInfo.deviceProfileName}. ChirpStack omits zero and false fields, so an
 * absent {@code fCnt} or {@code fPort} is 0. The reading's time is {@code time}, else the receive
 * time.
 *
 * <p>{@code up} events become a reading of the mapped {@code object} fields with {@code fCnt} as
 * its sequence number; {@code status} events become a reading with no metric, one microsecond after
 * {@code time}, with the battery level (percent), link margin and power source in its extra JSON.
 * Other events are rejected as {@code unsupported_event}. Thread-safe.
 */
public final class ChirpStackDecoder implements MessageDecoder {
  private static final String TOPIC_SHAPE =
      "expected application/<application-id>/device/<dev-eui>/event/<up|status>";

  private final JsonInput json;
  private final DeviceProfiles profiles;

  public ChirpStackDecoder(DecodeLimits limits, DeviceProfiles profiles) {
    this.json = new JsonInput(limits);
    this.profiles = profiles;
  }

  @Override
  public DecodedMessage decode(RawMessage msg) {
    String[] topic = msg.topic().split("/", -1);
    int n = topic.length;
    if (n < 6 || !topic[n - 4].equals("device") || !topic[n - 2].equals("event")) {
      return DecodedMessage.rejected(msg, RejectionReason.BAD_TOPIC, TOPIC_SHAPE);
    }
    String applicationId = topic[n - 5];
    String devEui = topic[n - 3].toLowerCase(Locale.ROOT);
    String event = topic[n - 1];
    if (!devEui.matches("[0-9a-f]{16}")) {
      return DecodedMessage.rejected(
          msg, RejectionReason.BAD_TOPIC, "the DevEUI in the topic must be 16 hex digits");
    }
    if (!event.equals("up") && !event.equals("status")) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.UNSUPPORTED_EVENT,
          "'"
              + event
              + "' events carry no readings; subscribe to .../event/up and .../event/status");
    }
    JsonInput.Parsed parsed = json.parse(msg);
    if (parsed.rejected() != null) {
      return parsed.rejected();
    }
    JsonNode root = parsed.tree();
    if (!root.isObject()) {
      return DecodedMessage.rejected(msg, RejectionReason.WRONG_TYPE, "payload must be an object");
    }
    JsonNode info = root.get("deviceInfo");
    if (info == null || !info.isObject()) {
      return DecodedMessage.rejected(msg, RejectionReason.MISSING_FIELD, "deviceInfo is missing");
    }
    String payloadEui = JsonInput.text(info, "devEui");
    if (payloadEui != null && !payloadEui.equalsIgnoreCase(devEui)) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.DEVICE_MISMATCH,
          "deviceInfo.devEui '" + payloadEui + "' is not the topic's '" + devEui + "'");
    }
    String payloadApp = JsonInput.text(info, "applicationId");
    if (payloadApp != null && !payloadApp.equals(applicationId)) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.DEVICE_MISMATCH,
          "deviceInfo.applicationId '"
              + payloadApp
              + "' is not the topic's '"
              + applicationId
              + "'");
    }
    String profileName = JsonInput.text(info, "deviceProfileName");
    Optional<DeviceProfile> profile = profiles.forChirpstack(profileName);
    if (profile.isEmpty()) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.UNKNOWN_PROFILE,
          "no device profile for ChirpStack device profile '" + profileName + "'");
    }
    Instant at = msg.receivedAt();
    if (root.has("time")) {
      at = JsonInput.rfc3339(root.get("time"));
      if (at == null) {
        return DecodedMessage.rejected(
            msg, RejectionReason.BAD_TIMESTAMP, "time must be an RFC 3339 time");
      }
    }
    double[] values = new double[Metric.values().length];
    Arrays.fill(values, Double.NaN);
    ObjectNode extra = json.newObject();
    ObjectNode lorawan = extra.putObject("lorawan");
    lorawan.put("network", "chirpstack");
    lorawan.put("profile", profile.get().name());
    lorawan.put("dev_eui", devEui);
    String dedup = JsonInput.text(root, "deduplicationId");
    if (dedup != null) {
      lorawan.put("dedup_id", dedup);
    }
    long seq;
    boolean fillFromDistance = false;
    if (event.equals("up")) {
      seq = Radio.omittedZero(root, "fCnt", 0xFFFF_FFFFL);
      if (seq < 0) {
        return DecodedMessage.rejected(
            msg, RejectionReason.WRONG_TYPE, "fCnt must be an integer 0..2^32-1");
      }
      long fPort = Radio.omittedZero(root, "fPort", 255);
      if (fPort < 0) {
        return DecodedMessage.rejected(
            msg, RejectionReason.WRONG_TYPE, "fPort must be an integer 0..255");
      }
      if (!Radio.isBase64OrAbsent(root, "data")) {
        return DecodedMessage.rejected(msg, RejectionReason.BAD_ENCODING, "data is not base64");
      }
      JsonNode object = root.get("object");
      if (object == null || object.isNull()) {
        return DecodedMessage.rejected(
            msg,
            RejectionReason.MISSING_FIELD,
            "object is missing (the ChirpStack device profile has no codec, or it failed)");
      }
      ObjectNode unmapped = json.newObject();
      Rejection problem = ProfileMapper.map(profile.get(), object, values, unmapped);
      if (problem != null) {
        return new DecodedMessage(
            msg, List.of(), List.of(new Rejection(problem.reason(), "object." + problem.detail())));
      }
      fillFromDistance = ProfileMapper.deriveFill(profile.get(), values);
      lorawan.put("f_port", fPort);
      Radio.summarise(root.get("rxInfo"), lorawan);
      if (!unmapped.isEmpty()) {
        extra.set("decoded", unmapped);
      }
    } else {
      seq = Reading.NO_SEQ;
      Rejection problem = status(root, lorawan);
      if (problem != null) {
        return new DecodedMessage(msg, List.of(), List.of(problem));
      }
      // The status answer rides on an uplink and may carry that uplink's time; a reading is
      // identified by (device, time), so a microsecond later keeps it from displacing the uplink.
      at = at.plusNanos(1_000);
    }
    Rejection window = json.outsideWindow(at, msg.receivedAt(), "");
    if (window != null) {
      return new DecodedMessage(msg, List.of(), List.of(window));
    }
    DeviceKey key = new DeviceKey(msg.council().id(), profile.get().kind(), devEui);
    return new DecodedMessage(
        msg,
        List.of(new Reading(key, at, seq, values, json.write(extra), fillFromDistance)),
        List.of());
  }

  /** Copies a status event's fields, remembering that ChirpStack omits zeros and false. */
  private static Rejection status(JsonNode root, ObjectNode lorawan) {
    JsonNode external = root.path("externalPowerSource");
    JsonNode unavailable = root.path("batteryLevelUnavailable");
    JsonNode battery = root.path("batteryLevel");
    JsonNode margin = root.path("margin");
    if (!external.isMissingNode() && !external.isBoolean()
        || !unavailable.isMissingNode() && !unavailable.isBoolean()) {
      return new Rejection(
          RejectionReason.WRONG_TYPE,
          "externalPowerSource and batteryLevelUnavailable must be true or false");
    }
    if (!battery.isMissingNode() && !battery.isNumber()
        || !margin.isMissingNode() && !margin.isIntegralNumber()) {
      return new Rejection(
          RejectionReason.WRONG_TYPE, "batteryLevel must be a number and margin an integer");
    }
    double pct = battery.asDouble(0);
    if (pct < 0 || pct > 100) {
      return new Rejection(
          RejectionReason.OUT_OF_RANGE, "batteryLevel = " + pct + " outside 0..100");
    }
    boolean mains = external.asBoolean(false);
    lorawan.put("external_power", mains);
    if (!mains && !unavailable.asBoolean(false)) {
      lorawan.put("battery_pct", pct);
    }
    lorawan.put("margin_db", margin.asInt(0));
    return null;
  }
}
