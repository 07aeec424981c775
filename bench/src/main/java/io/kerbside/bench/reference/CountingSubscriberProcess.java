package io.kerbside.bench.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The counting subscriber of reference (a) as a process of its own, so that its CPU is measured
 * from {@code /proc} exactly as the ingest child's is. Arguments: broker URL, client id, topic
 * filter. Prints {@code ready} once subscribed, then, every 10 ms in which the count grew, {@code
 * count <messages> <nanoTime of the latest>}; exits when its standard input closes. {@link
 * System#nanoTime()} is comparable with the parent's because both read the same monotonic clock of
 * the machine (Linux {@code CLOCK_MONOTONIC}).
 */
public final class CountingSubscriberProcess {
  private CountingSubscriberProcess() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (CountingSubscriber subscriber = CountingSubscriber.start(args[0], args[1], args[2])) {
      Thread reporter =
          new Thread(() -> report(subscriber.received(), out), "counting-subscriber-report");
      reporter.setDaemon(true);
      out.println("ready");
      out.flush();
      reporter.start();
      awaitEndOfInput(System.in);
    }
    System.exit(0);
  }

  private static void report(ArrivalCounter received, PrintStream out) {
    long reported = 0;
    try {
      while (true) {
        TimeUnit.MILLISECONDS.sleep(10);
        long lastNanos = received.lastNanos();
        long n = received.count();
        if (n != reported) {
          out.println("count " + n + " " + lastNanos);
          out.flush();
          reported = n;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitEndOfInput(InputStream in) {
    try {
      while (in.read() >= 0) {
        // nothing is sent; end of input is the signal to stop
      }
    } catch (IOException e) {
      // the parent is gone: stop as well
    }
  }
}
