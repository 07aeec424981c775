package io.kerbside.worklists;

import java.time.Instant;

/**
 * An active (or, for a past date, then active) alert on a work list.
 *
 * @param id the alert's id in the REST API ({@code /api/v1/alerts/{id}})
 * @param rule the rule's code, e.g. {@code lamp-failure}
 * @param status {@code open}, {@code acknowledged} or {@code resolved}
 * @param value the alert's value in its rule's unit (a trip hazard's crack in mm); null if none
 * @param peakValue the worst value while it was active; null if none
 * @param since when the alert was opened
 * @param predictedAt when the condition is predicted (an ice-risk alert's crossing); null if none
 */
public record AlertItem(
    long id,
    String rule,
    String severity,
    String status,
    String summary,
    Double value,
    Double peakValue,
    Instant since,
    Instant predictedAt,
    String assignee,
    Place place) {}
