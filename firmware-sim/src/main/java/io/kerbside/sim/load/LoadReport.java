package io.kerbside.sim.load;

import java.time.Duration;

/**
 * The outcome of one {@link LoadPublisher#publish} call.
 *
 * @param sent readings the broker accepted: acknowledged (QoS 1) or written to the socket (QoS 0)
 * @param failed readings that could not be published or were not confirmed in time
 * @param elapsed from the first publish to the last confirmation
 * @param ratePerSecond {@code sent} divided by {@code elapsed}
 * @param startNanoTime {@link System#nanoTime()} just before the first publish, so that a caller in
 *     the same process can time what follows (for example the last reading a consumer stores)
 */
public record LoadReport(
    long sent, long failed, Duration elapsed, double ratePerSecond, long startNanoTime) {

  static LoadReport of(long sent, long failed, long startNanoTime, long endNanoTime) {
    long nanos = Math.max(1, endNanoTime - startNanoTime);
    return new LoadReport(sent, failed, Duration.ofNanos(nanos), sent * 1e9 / nanos, startNanoTime);
  }
}
