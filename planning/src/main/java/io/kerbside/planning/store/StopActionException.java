package io.kerbside.planning.store;

/** A step on a plan's stop that cannot be taken: no such stop, or it was already emptied. */
public final class StopActionException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. */
  public enum Reason {
    NOT_FOUND,
    CONFLICT
  }

  private final Reason reason;

  public StopActionException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
