package io.kerbside.ingest.mqtt;

import io.kerbside.core.CouncilRef;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.ingest.IngestMetrics;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.MessageDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.RawMessage;
import io.kerbside.ingest.decode.RejectionReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Gives a message the council and format of the subscription whose filter its topic matches, and
 * decodes it. A topic that no configured filter matches belongs to no council: it is rejected as
 * {@link RejectionReason#NO_SUBSCRIPTION}, never attributed to one, never decoded.
 *
 * <p>Relies on the configuration refusing filters that can match one topic under different councils
 * or formats, so any matching subscription is the right one. Thread-safe: the decoders are, and
 * nothing here changes after construction.
 */
final class TopicRouter {
  /** A subscription with its council and decoder, looked up once. */
  private record Route(Subscription subscription, CouncilRef council, MessageDecoder decoder) {}

  private final List<Route> routes;
  private final IngestMetrics metrics;

  /**
   * @param councils every council the subscriptions name, by slug
   * @param decoders a decoder for every format the subscriptions name
   */
  TopicRouter(
      List<Subscription> subscriptions,
      Map<String, CouncilRef> councils,
      Map<PayloadFormat, MessageDecoder> decoders,
      IngestMetrics metrics) {
    this.routes =
        subscriptions.stream()
            .map(s -> new Route(s, councils.get(s.councilSlug()), decoders.get(s.format())))
            .toList();
    this.metrics = metrics;
  }

  /** Routes and decodes one message; counts it as received. */
  DecodedMessage decode(String topic, byte[] payload, Instant receivedAt) {
    for (Route route : routes) {
      Subscription s = route.subscription();
      if (s.matches(topic)) {
        metrics.received(s.format());
        return route
            .decoder()
            .decode(new RawMessage(route.council(), s.format(), topic, payload, receivedAt));
      }
    }
    metrics.receivedWithoutSubscription();
    return DecodedMessage.rejected(
        RawMessage.unrouted(topic, payload, receivedAt),
        RejectionReason.NO_SUBSCRIPTION,
        "no filter of "
            + IngestConfig.SUBSCRIPTIONS
            + " matches the topic (a filter removed from the setting that the broker session"
            + " still delivers)");
  }
}
