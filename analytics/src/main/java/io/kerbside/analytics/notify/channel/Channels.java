package io.kerbside.analytics.notify.channel;

import io.kerbside.analytics.notify.Channel;
import io.kerbside.analytics.notify.ChannelSettings;
import java.time.Clock;

/** Builds the channel that a channel's settings describe. */
public final class Channels {
  private Channels() {}

  public static Channel create(ChannelSettings settings, Clock clock) {
    if (settings instanceof ChannelSettings.Webhook w) {
      return new WebhookChannel(w, clock);
    }
    if (settings instanceof ChannelSettings.Mqtt m) {
      return new MqttChannel(m);
    }
    if (settings instanceof ChannelSettings.Email e) {
      return new EmailChannel(e);
    }
    if (settings instanceof ChannelSettings.Open311 o) {
      return new Open311Channel(new GeoReportClient(o));
    }
    throw new IllegalArgumentException("unknown channel settings " + settings.getClass());
  }
}
