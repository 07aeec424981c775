package io.kerbside.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a running simulation has got to.
 *
 * @param simulatedTime the simulated time of the latest reading
 * @param fractionDone 0 to 1 of the simulated duration
 * @param queued messages handed to the connections so far
 * @param sent messages the broker confirmed (QoS 1) or that were written (QoS 0)
 * @param failed messages that could not be published
 * @param faultsInjected faults injected so far
 * @param elapsed real time since the run began
 * @param ratePerSecond {@code sent} per real second so far
 */
public record SimProgress(
    Instant simulatedTime,
    double fractionDone,
    long queued,
    long sent,
    long failed,
    long faultsInjected,
    Duration elapsed,
    double ratePerSecond) {}
