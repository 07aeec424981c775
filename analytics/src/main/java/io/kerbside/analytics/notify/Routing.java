package io.kerbside.analytics.notify;

import java.util.List;

/**
 * Which channels get a notice: by council, asset kind, ward, severity, rule and event type. The
 * delivery worker asks it when it routes a recorded alert event, in the transaction that queues the
 * event's deliveries and marks it routed; an empty list means nobody is told.
 */
public interface Routing {
  List<String> channelsFor(AlertNotice notice);
}
