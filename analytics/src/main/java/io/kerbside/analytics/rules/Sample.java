package io.kerbside.analytics.rules;

import java.time.Instant;

/** One value of one metric at one time. */
public record Sample(Instant at, double value) {}
