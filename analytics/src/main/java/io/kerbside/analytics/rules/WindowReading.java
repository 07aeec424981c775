package io.kerbside.analytics.rules;

import io.kerbside.core.Metric;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One stored reading in a rule's window: its time, its sequence number (frame counter) if any, and
 * the values it carried (a reading need not carry every metric of its kind).
 */
public record WindowReading(Instant at, Long seq, Map<Metric, Double> values) {
  public WindowReading {
    EnumMap<Metric, Double> copy = new EnumMap<>(Metric.class);
    copy.putAll(values);
    values = Collections.unmodifiableMap(copy);
  }

  public OptionalDouble value(Metric metric) {
    Double v = values.get(metric);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}
