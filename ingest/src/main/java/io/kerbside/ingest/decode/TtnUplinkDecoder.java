package io.kerbside.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kerbside.core.DeviceId;
import io.kerbside.core.Metric;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes uplinks of The Things Stack v3 MQTT integration: topic {@code
 * v3/<application-id>@<tenant-id>/devices/<device-id>/up}, JSON with {@code end_device_ids} and
 * {@code uplink_message}. The device id comes from the topic and must agree with {@code
 * end_device_ids.device_id}; its kind and metrics come from the {@link DeviceProfile} chosen by
 * application id, else by {@code version_ids}. The Things Stack omits fields whose value is 0, ""
 * or false, so an absent {@code f_cnt} or {@code f_port} is 0. The reading's time is {@code
 * uplink_message.received_at}, else {@code received_at}, else the receive time; {@code f_cnt} is
 * its sequence number, and radio metadata and unmapped decoded fields go to its extra JSON.
 * Thread-safe.
 */
public final class TtnUplinkDecoder implements MessageDecoder {
  private static final String TOPIC_SHAPE =
      "expected v3/<application-id>@<tenant-id>/devices/<device-id>/up";

  private final JsonInput json;
  private final DeviceProfiles profiles;

  public TtnUplinkDecoder(DecodeLimits limits, DeviceProfiles profiles) {
    this.json = new JsonInput(limits);
    this.profiles = profiles;
  }

  @Override
  public DecodedMessage decode(RawMessage msg) {
    List<String> topic = Arrays.asList(msg.topic().split("/", -1));
    int devices = topic.indexOf("devices");
    if (devices < 1 || devices + 2 >= topic.size()) {
      return DecodedMessage.rejected(msg, RejectionReason.BAD_TOPIC, TOPIC_SHAPE);
    }
    String applicationId = topic.get(devices - 1).split("@", -1)[0];
    String deviceId = topic.get(devices + 1);
    String event = String.join("/", topic.subList(devices + 2, topic.size()));
    if (applicationId.isEmpty() || !DeviceId.isValid(deviceId)) {
      return DecodedMessage.rejected(msg, RejectionReason.BAD_TOPIC, TOPIC_SHAPE);
    }
    if (!event.equals("up")) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.UNSUPPORTED_EVENT,
          "'" + event + "' messages carry no readings; subscribe to .../up");
    }
    JsonInput.Parsed parsed = json.parse(msg);
    if (parsed.rejected() != null) {
      return parsed.rejected();
    }
    JsonNode root = parsed.tree();
    if (!root.isObject()) {
      return DecodedMessage.rejected(msg, RejectionReason.WRONG_TYPE, "payload must be an object");
    }
    JsonNode ids = root.get("end_device_ids");
    if (ids == null || !ids.isObject()) {
      return DecodedMessage.rejected(
          msg, RejectionReason.MISSING_FIELD, "end_device_ids is missing");
    }
    String payloadDevice = JsonInput.text(ids, "device_id");
    if (!deviceId.equals(payloadDevice)) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.DEVICE_MISMATCH,
          "end_device_ids.device_id '" + payloadDevice + "' is not the topic's '" + deviceId + "'");
    }
    String payloadApp = JsonInput.text(ids.path("application_ids"), "application_id");
    if (payloadApp != null && !payloadApp.equals(applicationId)) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.DEVICE_MISMATCH,
          "end_device_ids.application_ids.application_id '"
              + payloadApp
              + "' is not the topic's '"
              + applicationId
              + "'");
    }
    JsonNode up = root.get("uplink_message");
    if (up == null || !up.isObject()) {
      return DecodedMessage.rejected(
          msg, RejectionReason.MISSING_FIELD, "uplink_message is missing");
    }
    long fCnt = Radio.omittedZero(up, "f_cnt", 0xFFFF_FFFFL);
    if (fCnt < 0) {
      return DecodedMessage.rejected(
          msg, RejectionReason.WRONG_TYPE, "uplink_message.f_cnt must be an integer 0..2^32-1");
    }
    long fPort = Radio.omittedZero(up, "f_port", 255);
    if (fPort < 0) {
      return DecodedMessage.rejected(
          msg, RejectionReason.WRONG_TYPE, "uplink_message.f_port must be an integer 0..255");
    }
    if (!Radio.isBase64OrAbsent(up, "frm_payload")) {
      return DecodedMessage.rejected(
          msg, RejectionReason.BAD_ENCODING, "uplink_message.frm_payload is not base64");
    }
    Instant at = msg.receivedAt();
    JsonNode time = up.has("received_at") ? up.get("received_at") : root.get("received_at");
    if (time != null) {
      at = JsonInput.rfc3339(time);
      if (at == null) {
        return DecodedMessage.rejected(
            msg, RejectionReason.BAD_TIMESTAMP, "received_at must be an RFC 3339 time");
      }
    }
    JsonNode versions = up.path("version_ids");
    Optional<DeviceProfile> profile =
        profiles.forTtn(
            applicationId,
            JsonInput.text(versions, "brand_id"),
            JsonInput.text(versions, "model_id"));
    if (profile.isEmpty()) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.UNKNOWN_PROFILE,
          "no device profile for TTN application '"
              + applicationId
              + "' or model '"
              + versions.path("brand_id").asText("")
              + "/"
              + versions.path("model_id").asText("")
              + "'");
    }
    JsonNode decoded = up.get("decoded_payload");
    if (decoded == null || decoded.isNull()) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.MISSING_FIELD,
          "uplink_message.decoded_payload is missing (no payload formatter, or it failed)");
    }
    double[] values = new double[Metric.values().length];
    Arrays.fill(values, Double.NaN);
    ObjectNode unmapped = json.newObject();
    Rejection problem = ProfileMapper.map(profile.get(), decoded, values, unmapped);
    if (problem != null) {
      return new DecodedMessage(
          msg,
          List.of(),
          List.of(new Rejection(problem.reason(), "decoded_payload." + problem.detail())));
    }
    boolean fillFromDistance = ProfileMapper.deriveFill(profile.get(), values);
    Rejection window = json.outsideWindow(at, msg.receivedAt(), "");
    if (window != null) {
      return new DecodedMessage(msg, List.of(), List.of(window));
    }
    ObjectNode extra = json.newObject();
    ObjectNode lorawan = extra.putObject("lorawan");
    lorawan.put("network", "ttn");
    lorawan.put("profile", profile.get().name());
    String devEui = JsonInput.text(ids, "dev_eui");
    if (devEui != null) {
      lorawan.put("dev_eui", devEui.toLowerCase(Locale.ROOT));
    }
    lorawan.put("f_port", fPort);
    Radio.summarise(up.get("rx_metadata"), lorawan);
    if (up.has("locations")) {
      lorawan.set("locations", up.get("locations"));
    }
    if (!unmapped.isEmpty()) {
      extra.set("decoded", unmapped);
    }
    DeviceKey key = new DeviceKey(msg.council().id(), profile.get().kind(), deviceId);
    return new DecodedMessage(
        msg,
        List.of(new Reading(key, at, fCnt, values, json.write(extra), fillFromDistance)),
        List.of());
  }
}
