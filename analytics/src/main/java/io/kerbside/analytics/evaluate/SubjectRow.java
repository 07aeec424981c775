package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.rules.Subject;
import java.time.Instant;

/** A subject with what evaluation tracks about it: its newest reading and its progress. */
record SubjectRow(Subject subject, Instant lastSeenAt, Instant evaluatedUntil) {}
