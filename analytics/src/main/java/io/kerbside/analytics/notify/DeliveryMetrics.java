package io.kerbside.analytics.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every meter of alert delivery; names are {@code kerbside.analytics.deliver*}, tags are the
 * channel type and a fixed outcome, never a channel, alert or device id.
 */
public final class DeliveryMetrics {
  /** What became of one attempt, as counted. */
  public enum Outcome {
    DELIVERED("delivered"),
    RETRY("retry"),
    GAVE_UP("gave_up");

    private final String code;

    Outcome(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Map<ChannelType, Map<Outcome, Counter>> deliveries =
      new EnumMap<>(ChannelType.class);
  private final Map<ChannelType, Timer> latency = new EnumMap<>(ChannelType.class);
  private final Map<ChannelType, Timer> attemptTime = new EnumMap<>(ChannelType.class);
  private final Counter externalResolutions;
  private final Counter routedQueued;
  private final Counter routedUnmatched;
  private final Counter routedTooOld;

  public DeliveryMetrics(MeterRegistry registry) {
    for (ChannelType t : ChannelType.values()) {
      Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        byOutcome.put(
            o,
            Counter.builder("kerbside.analytics.deliveries")
                .description("Delivery attempts by channel type and outcome")
                .tag("channel.type", t.code())
                .tag("outcome", o.code())
                .register(registry));
      }
      deliveries.put(t, byOutcome);
      latency.put(
          t,
          Timer.builder("kerbside.analytics.delivery.latency")
              .description("Time from a delivery being queued to the channel accepting it")
              .tag("channel.type", t.code())
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofHours(1))
              .register(registry));
      attemptTime.put(
          t,
          Timer.builder("kerbside.analytics.delivery.attempt")
              .description("Time one delivery attempt took, whatever its outcome")
              .tag("channel.type", t.code())
              .register(registry));
    }
    externalResolutions =
        Counter.builder("kerbside.analytics.external.resolutions")
            .description("Alerts resolved because a works system reported the request closed")
            .register(registry);
    routedQueued = routed(registry, "queued");
    routedUnmatched = routed(registry, "unmatched");
    routedTooOld = routed(registry, "too_old");
  }

  private static Counter routed(MeterRegistry registry, String outcome) {
    return Counter.builder("kerbside.analytics.notices.routed")
        .description(
            "Alert events routed by a delivery worker: queued to at least one channel, matched by"
                + " no route, or older than the routing horizon")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Counts one routing transaction's events by what became of them. */
  public void routed(int queued, int unmatched, int tooOld) {
    routedQueued.increment(queued);
    routedUnmatched.increment(unmatched);
    routedTooOld.increment(tooOld);
  }

  public void attempted(ChannelType type, Outcome outcome, Duration took) {
    deliveries.get(type).get(outcome).increment();
    attemptTime.get(type).record(took);
  }

  public void delivered(ChannelType type, Duration sinceQueued) {
    latency.get(type).record(sinceQueued.isNegative() ? Duration.ZERO : sinceQueued);
  }

  public void externallyResolved() {
    externalResolutions.increment();
  }
}
