package io.kerbside.sim;

/**
 * Told how a running simulation is doing, about four times a second and once at the end, on the
 * thread that called {@link Simulation#run}. It must return quickly: the simulation waits for it.
 */
@FunctionalInterface
public interface ProgressListener {
  void progress(SimProgress p);

  /** A listener that ignores progress. */
  static ProgressListener none() {
    return p -> {};
  }
}
