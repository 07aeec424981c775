package io.kerbside.analytics.notify;

import io.kerbside.analytics.notify.channel.GeoReportClient;
import io.kerbside.analytics.notify.channel.GeoReportClient.RequestStatus;
import io.kerbside.analytics.notify.outbox.DeliveryRepository;
import io.kerbside.analytics.notify.outbox.Open311Request;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the works requests raised on Open311 channels: each {@link #pollOnce()} (every {@code
 * open311PollSeconds}, called by {@link DeliveryVerticle}) asks the works system ({@code GET
 * requests/{id}.json}) about each request whose alert is still active and, when the request is
 * {@code closed}, resolves the alert through {@link ExternalResolution} as {@code
 * open311:<channel>} with the request's {@code status_notes}. A request known only by a token is
 * first turned into its service request id ({@code GET tokens/{token}.json}).
 *
 * <p>Two instances polling at once are harmless: resolving an alert already resolved does nothing.
 */
public final class Open311StatusPoller {
  private static final Logger LOG = LoggerFactory.getLogger(Open311StatusPoller.class);
  private static final int BATCH = 500;
  private static final String TOKEN = "token:";

  private final DeliveryRepository repository;
  private final Map<String, GeoReportClient> clients = new LinkedHashMap<>();
  private final ExternalResolution resolution;
  private final DeliveryMetrics metrics;

  public Open311StatusPoller(
      DataSource ds,
      Collection<ChannelSettings.Open311> channels,
      ExternalResolution resolution,
      DeliveryMetrics metrics) {
    this.repository = new DeliveryRepository(ds);
    channels.forEach(c -> clients.put(c.name(), new GeoReportClient(c)));
    this.resolution = resolution;
    this.metrics = metrics;
  }

  /** Whether any Open311 channel is configured; without one there is nothing to poll. */
  public boolean hasChannels() {
    return !clients.isEmpty();
  }

  /**
   * Polls every open request once, on the calling thread, which blocks (JDBC and HTTP): never call
   * it on an event loop. Stops early, leaving the rest to the next poll, when the thread is
   * interrupted.
   *
   * @return how many alerts this poll resolved
   * @throws SQLException when the open requests cannot be read
   */
  public int pollOnce() throws SQLException {
    if (clients.isEmpty()) {
      return 0;
    }
    int resolved = 0;
    List<Open311Request> open = repository.openRequests(clients.keySet(), BATCH);
    for (Open311Request r : open) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      GeoReportClient client = clients.get(r.channel());
      try {
        String id = r.externalId();
        if (id.startsWith(TOKEN)) {
          Optional<String> real = client.requestIdForToken(id.substring(TOKEN.length()));
          if (real.isEmpty()) {
            continue;
          }
          id = real.get();
          repository.updateExternalId(r.deliveryId(), id);
        }
        Optional<RequestStatus> status = client.status(id);
        if (status.isPresent() && status.get().closed()) {
          String note =
              status.get().notes().orElse("closed in the works system (request " + id + ")");
          if (resolution.resolve(r.alertId(), "open311:" + r.channel(), note)) {
            resolved++;
            metrics.externallyResolved();
            LOG.info(
                "open311 - {} closed request {}: resolved alert {}", r.channel(), id, r.alertId());
          }
        }
      } catch (GeoReportClient.GeoReportException e) {
        LOG.warn(
            "open311 - {}: cannot read request {}: {}",
            r.channel(),
            r.externalId(),
            e.getMessage());
      }
    }
    return resolved;
  }
}
