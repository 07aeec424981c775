package io.kerbside.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/** What LoRaWAN uplinks of both network servers share: radio summary and payload checks. */
final class Radio {
  private Radio() {}

  /**
   * Adds {@code rssi_dbm} and {@code snr_db} (the best over all gateways, each on its own) and
   * {@code gateways} (how many received the uplink) to {@code lorawan}.
   */
  static void summarise(JsonNode rxMetadata, ObjectNode lorawan) {
    if (rxMetadata == null || !rxMetadata.isArray()) {
      lorawan.put("gateways", 0);
      return;
    }
    Double rssi = null;
    Double snr = null;
    for (JsonNode gw : rxMetadata) {
      JsonNode r = gw.get("rssi");
      if (r != null && r.isNumber() && (rssi == null || r.doubleValue() > rssi)) {
        rssi = r.doubleValue();
      }
      JsonNode s = gw.get("snr");
      if (s != null && s.isNumber() && (snr == null || s.doubleValue() > snr)) {
        snr = s.doubleValue();
      }
    }
    if (rssi != null) {
      lorawan.put("rssi_dbm", rssi);
    }
    if (snr != null) {
      lorawan.put("snr_db", snr);
    }
    lorawan.put("gateways", rxMetadata.size());
  }

  /**
   * An unsigned integer field that the network server omits when it is 0.
   *
   * @return the value, or -1 when it is present but not an integer in {@code 0..max}
   */
  static long omittedZero(JsonNode parent, String field, long max) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return 0;
    }
    if (!n.isIntegralNumber()
        || !n.canConvertToLong()
        || n.longValue() < 0
        || n.longValue() > max) {
      return -1;
    }
    return n.longValue();
  }

  /** True when the field is absent or standard base64 text. */
  static boolean isBase64OrAbsent(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return true;
    }
    if (!n.isTextual()) {
      return false;
    }
    try {
      Base64.getDecoder().decode(n.asText());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
