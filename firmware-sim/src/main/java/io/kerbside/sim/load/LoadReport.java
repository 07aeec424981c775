package io.kerbside.sim.load;

import java.time.Duration;

/**
 * The outcome of one {@link LoadPublisher#publish} call.
 *
 * @param sent readings the broker accepted: acknowledged (QoS 1) or written to the socket (QoS 0);
 *     each counts once, also when it was published more than once
 * @param failed readings that failed for good: the broker stayed unreachable, or the reading was
 *     lost with its connection too often
 * @param resent readings published again after a lost connection (counted once each, however often
 *     they were); each is also in {@code sent} or {@code failed}
 * @param elapsed from the first publish to the last confirmation
 * @param ratePerSecond {@code sent} divided by {@code elapsed}
 * @param startNanoTime {@link System#nanoTime()} just before the first publish, so that a caller in
 *     the same process can time what follows (for example the last reading a consumer stores)
 */
public record LoadReport(
    long sent,
    long failed,
    long resent,
    Duration elapsed,
    double ratePerSecond,
    long startNanoTime) {

  static LoadReport of(long sent, long failed, long resent, long startNanoTime, long endNanoTime) {
    long nanos = Math.max(1, endNanoTime - startNanoTime);
    return new LoadReport(
        sent, failed, resent, Duration.ofNanos(nanos), sent * 1e9 / nanos, startNanoTime);
  }
}
