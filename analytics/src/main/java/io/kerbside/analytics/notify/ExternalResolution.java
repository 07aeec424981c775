package io.kerbside.analytics.notify;

/**
 * How a channel that tracks work in another system (an Open311 works system) closes an alert when
 * that system reports the work done. Implemented by the alert store.
 */
public interface ExternalResolution {
  /**
   * Resolves the alert if it is still active, recording {@code actor} and {@code note} in its
   * history; does nothing for an alert already resolved.
   *
   * @return true when this call resolved it
   */
  boolean resolve(long alertId, String actor, String note);
}
