package io.kerbside.bench;

/** A benchmark run that cannot go on: a process died, a step timed out, a service is missing. */
public final class BenchmarkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BenchmarkException(String message) {
    super(message);
  }

  public BenchmarkException(String message, Throwable cause) {
    super(message, cause);
  }
}
