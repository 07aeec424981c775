package io.kerbside.analytics.notify.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kerbside.analytics.notify.AlertNotice;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The JSON form of a notice that webhooks and MQTT carry; the shape is documented in
 * docs/delivery.md and versioned by its {@code "version"} field: fields are only ever added.
 */
public final class NoticeJson {
  /** The shape's version; raised only for a change a receiver must know about. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private NoticeJson() {}

  public static ObjectNode tree(AlertNotice n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", VERSION);
    o.put("alert_id", n.alertId());
    o.put("alert_event_id", n.alertEventId());
    o.put("event", n.eventType());
    o.put("council", n.councilSlug());
    o.put("rule", n.rule());
    o.put("kind", n.kind());
    o.put("severity", n.severity());
    o.put("status", n.status());
    o.put("subject", n.subject());
    o.put("summary", n.summary());
    o.put("value", n.value());
    o.put("peak_value", n.peakValue());
    o.put("observed_at", text(n.observedAt()));
    o.put("opened_at", text(n.openedAt()));
    o.put("predicted_at", n.predictedAt().map(Instant::toString).orElse(null));
    o.put("device_id", n.deviceId());
    if (n.asset().isPresent()) {
      AlertNotice.AssetLocation a = n.asset().get();
      ObjectNode asset = o.putObject("asset");
      asset.put("ref", a.assetRef());
      asset.put("name", a.name());
      asset.put("latitude", a.latitude());
      asset.put("longitude", a.longitude());
      asset.put("street", a.street());
      asset.put("ward", a.ward());
      asset.put("map_url", NoticeText.mapUrl(a));
    } else {
      o.putNull("asset");
    }
    o.set("details", JSON.valueToTree(n.details()));
    return o;
  }

  /** The notice as compact UTF-8 JSON. */
  public static byte[] bytes(AlertNotice n) {
    try {
      return JSON.writeValueAsString(tree(n)).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a notice's details cannot be written as JSON", e);
    }
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
