package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.rules.Subject;
import java.time.Instant;

/**
 * A subject with what evaluation tracks about it: its newest reading time as ingest recorded it,
 * how far its readings were evaluated, and when the newest evaluated one was committed.
 */
record SubjectRow(Subject subject, Instant lastSeenAt, Instant evaluatedUntil, Instant heardAt) {}
