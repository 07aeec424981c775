package io.kerbside.sim;

import java.time.Instant;
import java.util.List;

/**
 * Instants at which a running simulation pauses and hands over, e.g. to plan the next day's
 * collections from what the sensors have reported so far. {@link #reached} is called on the
 * simulation's thread once simulated time reaches each instant: every reading stamped before it has
 * been sent and confirmed by the broker, none at or after it has been made yet, so a plan added to
 * the run's {@link PlannedCollections} then is in time for the bins' later collections.
 */
public interface Checkpoints {
  /** No pauses. */
  Checkpoints NONE =
      new Checkpoints() {
        @Override
        public List<Instant> instants() {
          return List.of();
        }

        @Override
        public void reached(Instant at, long readings) {}
      };

  /** The instants, in increasing order; those outside the run are never reached. */
  List<Instant> instants();

  /**
   * Simulated time has reached {@code at}. A runtime exception ends the run and propagates out of
   * {@link Simulation#run}.
   *
   * @param readings the distinct readings sent so far that Kerbside should have stored
   */
  void reached(Instant at, long readings) throws InterruptedException;
}
