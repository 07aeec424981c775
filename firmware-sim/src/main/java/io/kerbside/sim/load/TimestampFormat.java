package io.kerbside.sim.load;

/** How the {@code ts} field of a generated native payload is written. */
public enum TimestampFormat {
  /** ISO-8601 in UTC with milliseconds, e.g. {@code "2026-11-27T10:00:00.123Z"}. */
  ISO_8601,
  /** Epoch milliseconds as a JSON number, e.g. {@code 1795687200123}. */
  EPOCH_MILLIS
}
