package io.kerbside.sim.plan;

/** A plan file that cannot be used: unreadable, malformed, another council's or another town's. */
public final class PlanFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PlanFileException(String message) {
    super(message);
  }

  public PlanFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
