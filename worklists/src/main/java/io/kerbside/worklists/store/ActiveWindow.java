package io.kerbside.worklists.store;

import java.time.Instant;

/**
 * Which alerts a list takes: those active now ({@code current}), or those active at any time from
 * {@code start} to {@code end} (a past date's list).
 */
public record ActiveWindow(boolean current, Instant start, Instant end) {}
