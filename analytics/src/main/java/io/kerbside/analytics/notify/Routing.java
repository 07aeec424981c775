package io.kerbside.analytics.notify;

import java.util.List;

/**
 * Which channels get a notice: by council, asset kind, ward, severity, rule and event type. The
 * alert lifecycle asks it in the transaction that records the event, so a queued delivery is never
 * lost; an empty list means nobody is told.
 */
public interface Routing {
  List<String> channelsFor(AlertNotice notice);

  /** Routes nothing anywhere. */
  static Routing none() {
    return notice -> List.of();
  }
}
