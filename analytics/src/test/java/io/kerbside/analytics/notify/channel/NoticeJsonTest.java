package io.kerbside.analytics.notify.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.analytics.notify.AlertNotice;
import io.kerbside.analytics.notify.Notices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NoticeJsonTest {
  @Test
  void keepsTheDocumentedShape() throws Exception {
    JsonNode json = new ObjectMapper().readTree(NoticeJson.bytes(Notices.binFull()));
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "version",
            "alert_id",
            "alert_event_id",
            "event",
            "council",
            "rule",
            "kind",
            "severity",
            "status",
            "subject",
            "summary",
            "value",
            "peak_value",
            "observed_at",
            "opened_at",
            "predicted_at",
            "device_id",
            "asset",
            "details");
    List<String> asset = new ArrayList<>();
    json.get("asset").fieldNames().forEachRemaining(asset::add);
    assertThat(asset)
        .containsExactly("ref", "name", "latitude", "longitude", "street", "ward", "map_url");
    assertThat(json.get("observed_at").asText()).isEqualTo("2026-11-27T06:00:00Z");
    assertThat(json.get("predicted_at").isNull()).isTrue();
    assertThat(json.at("/details/threshold_pct").asInt()).isEqualTo(85);
  }

  @Test
  void writesNullForAnAlertWithoutAnAsset() throws Exception {
    AlertNotice n = Notices.binFull();
    AlertNotice deviceOnly =
        new AlertNotice(
            n.alertId(),
            n.alertEventId(),
            "opened",
            "default",
            "battery-low",
            "bin",
            "minor",
            "open",
            "device/7",
            "Battery at 8%",
            8.0,
            null,
            n.observedAt(),
            n.openedAt(),
            Optional.empty(),
            "bin-0042",
            Optional.empty(),
            Map.of());
    JsonNode json = new ObjectMapper().readTree(NoticeJson.bytes(deviceOnly));
    assertThat(json.get("asset").isNull()).isTrue();
    assertThat(json.get("peak_value").isNull()).isTrue();
    assertThat(NoticeText.subject(deviceOnly))
        .isEqualTo("[MINOR] battery-low opened: device/7 (device bin-0042)");
  }

  @Test
  void escapesTextInTheHtmlBody() {
    AlertNotice n = Notices.binFull();
    AlertNotice nasty =
        new AlertNotice(
            n.alertId(),
            n.alertEventId(),
            n.eventType(),
            n.councilSlug(),
            n.rule(),
            n.kind(),
            n.severity(),
            n.status(),
            n.subject(),
            "<script>alert(1)</script> & more",
            n.value(),
            n.peakValue(),
            n.observedAt(),
            n.openedAt(),
            n.predictedAt(),
            n.deviceId(),
            n.asset(),
            n.details());
    assertThat(NoticeText.html(nasty))
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
        .doesNotContain("<script>");
  }
}
