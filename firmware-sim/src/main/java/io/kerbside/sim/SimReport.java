package io.kerbside.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The outcome of a {@link Simulation#run}.
 *
 * @param sent messages the broker confirmed (QoS 1) or that were written (QoS 0), each once
 * @param failed messages that could not be published, or were not confirmed in time, and were not
 *     published again: failed for good
 * @param resent messages published again after a lost connection (the benchmark scenario does; the
 *     others count such a message as failed); each is also in {@code sent} or {@code failed}
 * @param elapsed real time the run took
 * @param ratePerSecond {@code sent} per real second
 * @param faultsInjected faults injected, by type (types that did not occur are absent)
 * @param perDevice what each device sent, by device id, in the town's order
 * @param scenario the scenario that ran
 * @param simulatedStart simulated start
 * @param simulatedEnd simulated time reached: the end of the duration, or earlier when stopped
 * @param conditions conditions that arose (bins full or emptied, ice, potholes), by type
 * @param expectedRejections messages Kerbside should dead-letter, by its rejection reason code
 *     ({@code out_of_range}, {@code future_timestamp}, {@code malformed_json}...)
 * @param stoppedEarly true when {@link Simulation#stop()} ended the run before its duration
 */
public record SimReport(
    long sent,
    long failed,
    long resent,
    Duration elapsed,
    double ratePerSecond,
    Map<FaultType, Integer> faultsInjected,
    Map<String, DeviceTally> perDevice,
    Scenario scenario,
    Instant simulatedStart,
    Instant simulatedEnd,
    Map<ConditionType, Integer> conditions,
    Map<String, Long> expectedRejections,
    boolean stoppedEarly) {

  public SimReport {
    faultsInjected = Map.copyOf(faultsInjected);
    perDevice = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perDevice));
    conditions = Map.copyOf(conditions);
    expectedRejections = Map.copyOf(expectedRejections);
  }

  /** Total faults injected. */
  public int totalFaults() {
    return faultsInjected.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Distinct readings Kerbside should have stored, over every device. */
  public long expectedReadings() {
    return perDevice.values().stream().mapToLong(DeviceTally::readings).sum();
  }
}
