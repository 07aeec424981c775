package io.kerbside.analytics.alerts;

/** A person's action on an alert that cannot be done: unknown alert, or a step out of order. */
public final class AlertActionException extends Exception {
  /** Why the action was refused. */
  public enum Reason {
    NOT_FOUND,
    CONFLICT
  }

  private final Reason reason;

  public AlertActionException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
