package io.kerbside.core.runtime;

/**
 * Told when a part of a process stops unexpectedly and cannot go on (a writer that failed for a
 * reason other than the database being away, a verticle that died). The process reports it on
 * {@code /ready} and exits non-zero, so that a supervisor restarts it; nothing it had not committed
 * was acknowledged, so nothing is lost.
 */
@FunctionalInterface
public interface FailureListener {
  /**
   * @param component what failed, as {@code /ready} names it, e.g. {@code ingest.writer-1}
   * @param cause why
   */
  void failed(String component, Throwable cause);
}
