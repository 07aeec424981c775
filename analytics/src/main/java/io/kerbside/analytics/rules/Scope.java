package io.kerbside.analytics.rules;

/** What an alert of a rule is about, and so what "one active alert" is counted per. */
public enum Scope {
  /** The street asset the device is attached to (a bin, a lamp column, a footway section). */
  ASSET,
  /** The sensor device itself (its health: battery, connectivity, faulty values). */
  DEVICE
}
