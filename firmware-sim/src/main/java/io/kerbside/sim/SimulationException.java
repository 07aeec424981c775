package io.kerbside.sim;

/**
 * A simulation could not run: the broker refused or could not be reached, or the ground-truth file
 * could not be written. The message names what failed; the cause carries the details.
 */
public final class SimulationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SimulationException(String message, Throwable cause) {
    super(message, cause);
  }
}
