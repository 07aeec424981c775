package io.kerbside.analytics.notify;

/**
 * One configured destination of alert notices: a webhook, an MQTT topic tree, an e-mail list or an
 * Open311 works system. Implementations are thread-safe: the delivery worker calls {@link #deliver}
 * from several threads at once.
 */
public interface Channel extends AutoCloseable {
  /** The channel's name in the routes file; what {@code delivery.channel} holds. */
  String name();

  ChannelType type();

  /**
   * Delivers one notice, blocking until the destination has accepted or refused it or the channel's
   * timeout has passed. Never throws for a delivery problem: every failure is an outcome, retryable
   * or permanent.
   */
  DeliveryOutcome deliver(AlertNotice notice);

  /** Releases connections; the default holds none. */
  @Override
  default void close() {}
}
