package io.kerbside.analytics.notify;

import io.kerbside.analytics.notify.channel.Channels;
import io.kerbside.core.config.ConfigException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Alert delivery for one analytics process: the channels of the routes file, the {@link
 * DeliveryWorker} that drains the delivery queue and, when Open311 channels are configured, the
 * {@link Open311StatusPoller}. The routing itself ({@link RoutesConfig}) is handed to the alert
 * lifecycle separately.
 */
public final class DeliveryService implements AutoCloseable {
  private final List<Channel> channels;
  private final DeliveryWorker worker;
  private final Open311StatusPoller poller;

  private DeliveryService(
      List<Channel> channels, DeliveryWorker worker, Open311StatusPoller poller) {
    this.channels = channels;
    this.worker = worker;
    this.poller = poller;
  }

  /**
   * Builds the channels and starts delivering; returns at once.
   *
   * @throws ConfigException when the lease is not longer than a channel's timeout
   */
  public static DeliveryService start(
      DataSource ds,
      DeliveryConfig config,
      RoutesConfig routes,
      ExternalResolution resolution,
      MeterRegistry meters) {
    for (ChannelSettings s : routes.channels()) {
      if (s.maxAttemptMs() >= config.leaseSeconds() * 1000L) {
        throw new ConfigException(
            DeliveryConfig.LEASE
                + " ("
                + config.leaseSeconds()
                + " s) must be longer than channel '"
                + s.name()
                + "' can take ("
                + s.maxAttemptMs()
                + " ms), or a slow delivery could be sent twice");
      }
    }
    DeliveryMetrics metrics = new DeliveryMetrics(meters);
    List<Channel> channels = new ArrayList<>();
    List<ChannelSettings.Open311> open311 = new ArrayList<>();
    for (ChannelSettings s : routes.channels()) {
      channels.add(Channels.create(s, Clock.systemUTC()));
      if (s instanceof ChannelSettings.Open311 o) {
        open311.add(o);
      }
    }
    DeliveryWorker worker = new DeliveryWorker("analytics", ds, channels, config, metrics);
    Open311StatusPoller poller = new Open311StatusPoller(ds, open311, resolution, config, metrics);
    worker.start();
    poller.start();
    return new DeliveryService(List.copyOf(channels), worker, poller);
  }

  public DeliveryWorker worker() {
    return worker;
  }

  @Override
  public void close() {
    poller.stop();
    worker.close();
    channels.forEach(Channel::close);
  }
}
