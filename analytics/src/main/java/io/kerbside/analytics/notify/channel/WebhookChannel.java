package io.kerbside.analytics.notify.channel;

import io.kerbside.analytics.notify.AlertNotice;
import io.kerbside.analytics.notify.Channel;
import io.kerbside.analytics.notify.ChannelSettings;
import io.kerbside.analytics.notify.ChannelType;
import io.kerbside.analytics.notify.DeliveryOutcome;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * POSTs the notice's JSON to a URL, signed (see {@link WebhookSignature}). 2xx is delivered; 5xx,
 * 429, 408, timeouts and connection failures are retried; any other status (redirects included,
 * which are not followed) is permanent.
 */
final class WebhookChannel implements Channel {
  static final String EVENT_HEADER = "X-Kerbside-Event";
  static final String EVENT_ID_HEADER = "X-Kerbside-Alert-Event-Id";

  private final ChannelSettings.Webhook settings;
  private final HttpClient http;
  private final Clock clock;

  WebhookChannel(ChannelSettings.Webhook settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(settings.connectTimeoutMs()))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public ChannelType type() {
    return ChannelType.WEBHOOK;
  }

  @Override
  public DeliveryOutcome deliver(AlertNotice notice) {
    byte[] body = NoticeJson.bytes(notice);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(settings.url())
            .timeout(Duration.ofMillis(settings.timeoutMs()))
            .header("Content-Type", "application/json")
            .header("User-Agent", "kerbside-webhook/1")
            .header(EVENT_HEADER, notice.eventType())
            .header(EVENT_ID_HEADER, Long.toString(notice.alertEventId()))
            .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
            .header(
                WebhookSignature.SIGNATURE_HEADER,
                WebhookSignature.sign(settings.secret().reveal(), timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return DeliveryOutcome.delivered(null, status);
      }
      return HttpOutcomes.failure(status, HttpOutcomes.excerpt(response.body()));
    } catch (IOException | InterruptedException e) {
      return HttpOutcomes.exception(e);
    }
  }

  @Override
  public String toString() {
    return "WebhookChannel[" + settings + "]";
  }
}
