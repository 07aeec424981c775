package io.kerbside.sim.plan;

/**
 * The plans API could not give a day's plans: it could not be reached, refused the key, answered
 * with an error status or with something other than the plans JSON. The message names the URL
 * (without credentials) and, for an answer, its status; it never holds the API key.
 */
public final class PlanApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /**
   * @param status the HTTP status of the answer, 0 when there was none
   */
  public PlanApiException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status of the answer; 0 when the API did not answer. */
  public int status() {
    return status;
  }
}
