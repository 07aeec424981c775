package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.rules.WindowReading;
import java.time.Instant;

/** A reading as loaded for evaluation, with when it was committed. */
record StoredReading(long devicePk, WindowReading reading, Instant storedAt) {}
