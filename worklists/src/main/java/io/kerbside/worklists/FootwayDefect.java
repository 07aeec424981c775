package io.kerbside.worklists;

import java.time.Instant;

/**
 * A footway defect on the list.
 *
 * @param crackMm the trip hazard's depth in mm (the larger of the alert's value and peak); null for
 *     roughness
 * @param respondBy when its category's response time ends
 * @param overdue whether that has passed at the list's time
 */
public record FootwayDefect(
    AlertItem alert,
    FootwayCategory category,
    Double crackMm,
    Instant respondBy,
    boolean overdue) {}
