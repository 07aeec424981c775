package io.kerbside.analytics.notify.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.kerbside.analytics.notify.AlertNotice;
import io.kerbside.analytics.notify.AlertNotice.AssetLocation;
import io.kerbside.analytics.notify.Channel;
import io.kerbside.analytics.notify.ChannelType;
import io.kerbside.analytics.notify.DeliveryOutcome;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Raises a GeoReport v2 service request for a notice: {@code service_code} from the rule, the
 * asset's {@code lat}/{@code long}, a {@code description}, and {@code attribute[...]} with the
 * Kerbside references. The returned {@code service_request_id} (or {@code token:<token>} when the
 * works system queues the request) is the delivery's external id, which {@code Open311StatusPoller}
 * follows until the request is closed.
 */
final class Open311Channel implements Channel {
  private final GeoReportClient client;

  Open311Channel(GeoReportClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return client.settings().name();
  }

  @Override
  public ChannelType type() {
    return ChannelType.OPEN311;
  }

  @Override
  public DeliveryOutcome deliver(AlertNotice notice) {
    Optional<String> serviceCode = client.settings().serviceCodeFor(notice.rule());
    if (serviceCode.isEmpty()) {
      return DeliveryOutcome.permanent(
          "no service_code for rule " + notice.rule() + " and no default_service_code");
    }
    if (notice.asset().isEmpty()) {
      return DeliveryOutcome.permanent("the alert has no asset location to report");
    }
    AssetLocation a = notice.asset().get();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("service_code", serviceCode.get());
    form.put("lat", String.format(Locale.ROOT, "%.7f", a.latitude()));
    form.put("long", String.format(Locale.ROOT, "%.7f", a.longitude()));
    if (a.street() != null) {
      form.put("address_string", a.street());
    }
    form.put("description", NoticeText.description(notice));
    form.put("attribute[kerbside_alert_id]", Long.toString(notice.alertId()));
    form.put("attribute[kerbside_rule]", notice.rule());
    form.put("attribute[kerbside_severity]", notice.severity());
    form.put("attribute[asset_ref]", a.assetRef());
    try {
      GeoReportClient.Answer answer = client.postRequest(form);
      JsonNode r = answer.first();
      String id = r == null ? "" : r.path("service_request_id").asText("");
      if (!id.isBlank()) {
        return DeliveryOutcome.delivered(id, answer.status());
      }
      String token = r == null ? "" : r.path("token").asText("");
      if (!token.isBlank()) {
        return DeliveryOutcome.delivered("token:" + token, answer.status());
      }
      // The request may exist; posting again could raise a duplicate, so do not retry.
      return DeliveryOutcome.permanent(
          "answer has neither service_request_id nor token", answer.status());
    } catch (GeoReportClient.GeoReportException e) {
      if (e.status() == 0) {
        return DeliveryOutcome.retry(e.getMessage());
      }
      return HttpOutcomes.retryable(e.status())
          ? DeliveryOutcome.retry(e.getMessage(), e.status())
          : DeliveryOutcome.permanent(e.getMessage(), e.status());
    }
  }

  @Override
  public String toString() {
    return "Open311Channel[" + client.settings() + "]";
  }
}
