package io.kerbside.analytics;

import io.kerbside.analytics.evaluate.ReadingPass;
import io.kerbside.analytics.evaluate.SchedulePass;
import io.vertx.core.Context;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A database for the analytics passes that is down until told otherwise: while {@link #down}, a
 * connection is refused ("database down") after {@code takes}, or after {@link #hold} opens; once
 * up, connections come from the real data source given, if any. Records every connection asked for
 * by a pass: which pass (read from the stack, as the passes have no other seam), on which thread,
 * when, and how many runs of one pass were asking at once.
 */
final class FlakyDatabase implements DataSource {
  record Call(String pass, String thread, boolean onEventLoop, long startNanos, long endNanos) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger inside = new AtomicInteger();
  volatile boolean down = true;
  volatile CountDownLatch hold;
  private final Duration takes;
  private final DataSource up;
  private final Map<String, AtomicInteger> atOnce =
      Map.of("readings", new AtomicInteger(), "schedule", new AtomicInteger());
  private final Map<String, AtomicInteger> most =
      Map.of("readings", new AtomicInteger(), "schedule", new AtomicInteger());

  FlakyDatabase(Duration takes) {
    this(takes, null);
  }

  FlakyDatabase(Duration takes, DataSource up) {
    this.takes = takes;
    this.up = up;
  }

  List<Call> calls(String pass) {
    return calls.stream().filter(c -> c.pass().equals(pass)).toList();
  }

  int mostAtOnce(String pass) {
    return most.get(pass).get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Optional<String> pass = askingPass();
    long start = System.nanoTime();
    inside.incrementAndGet();
    pass.ifPresent(p -> most.get(p).accumulateAndGet(atOnce.get(p).incrementAndGet(), Math::max));
    try {
      if (!down) {
        return up.getConnection();
      }
      CountDownLatch h = hold;
      if (h != null) {
        h.await();
      }
      Thread.sleep(takes.toMillis());
      throw new SQLException("database down");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    } finally {
      pass.ifPresent(p -> atOnce.get(p).decrementAndGet());
      inside.decrementAndGet();
      pass.ifPresent(
          p ->
              calls.add(
                  new Call(
                      p,
                      Thread.currentThread().getName(),
                      Context.isOnEventLoopThread(),
                      start,
                      System.nanoTime())));
    }
  }

  private static Optional<String> askingPass() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames
                    .map(StackWalker.StackFrame::getClassName)
                    .filter(
                        n ->
                            n.equals(ReadingPass.class.getName())
                                || n.equals(SchedulePass.class.getName()))
                    .findFirst())
        .map(n -> n.equals(ReadingPass.class.getName()) ? "readings" : "schedule");
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public java.util.logging.Logger getParentLogger() {
    return java.util.logging.Logger.getGlobal();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
