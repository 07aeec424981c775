package io.kerbside.analytics.alerts;

import java.time.Instant;

/** One step in an alert's history: what happened, when, who did it, and their note. */
public record AlertEvent(long id, Instant at, String type, String actor, String note) {}
