package io.kerbside.planning;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Every meter of collection planning: its names, tags and descriptions live here only. */
public final class PlanningMetrics {
  private final Timer plan;
  private final Counter selected;
  private final Counter unassigned;
  private final Counter emptied;

  public PlanningMetrics(MeterRegistry registry) {
    MeterRegistry r = registry == null ? new SimpleMeterRegistry() : registry;
    plan =
        Timer.builder("kerbside.planning.plan")
            .description("time to select and route one round of a collection plan")
            .register(r);
    selected =
        Counter.builder("kerbside.planning.stops")
            .tag("outcome", "routed")
            .description("bins put on collection plans, by whether a vehicle takes them")
            .register(r);
    unassigned =
        Counter.builder("kerbside.planning.stops")
            .tag("outcome", "unassigned")
            .description("bins put on collection plans, by whether a vehicle takes them")
            .register(r);
    emptied =
        Counter.builder("kerbside.planning.emptied")
            .description("stops of collection plans marked emptied")
            .register(r);
  }

  Timer plan() {
    return plan;
  }

  void stops(int routed, int left) {
    selected.increment(routed);
    unassigned.increment(left);
  }

  /** Counts a stop marked emptied. */
  public void emptied() {
    emptied.increment();
  }
}
