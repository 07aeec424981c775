package io.kerbside.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kerbside.core.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The verticle's scheduling, on a database that is down: each pass fails at its first connection,
 * after a delay that stands for a slow pass ({@link FlakyDatabase} records which pass asked, on
 * which thread, when, and how many runs of one pass were in it at once).
 */
@ExtendWith(VertxExtension.class)
class AnalyticsVerticleTest {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration CYCLE = Duration.ofSeconds(1);
  private static final Duration PASS_TAKES = Duration.ofMillis(200);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AnalyticsVerticle.class);

  @BeforeEach
  void captureLog() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(log);
  }

  private AnalyticsVerticle verticle(DataSource ds) {
    AnalyticsConfig config =
        AnalyticsConfig.from(
            Settings.from(
                Map.of(
                    AnalyticsConfig.POLL_INTERVAL, Long.toString(POLL.toMillis()),
                    AnalyticsConfig.CYCLE_INTERVAL, Long.toString(CYCLE.toSeconds()))));
    return new AnalyticsVerticle(config, ds, new AnalyticsMetrics(meters), Clock.systemUTC());
  }

  @Test
  void passesRunOnTheAnalyticsPoolNeverOnAnEventLoop(Vertx vertx) {
    FlakyDatabase db = new FlakyDatabase(Duration.ofMillis(10));
    vertx.deployVerticle(verticle(db)).await();

    await().atMost(Duration.ofSeconds(10)).until(() -> db.calls("readings").size() >= 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> db.calls("schedule").size() >= 1);
    assertThat(db.calls)
        .allSatisfy(
            c -> {
              assertThat(c.thread()).startsWith("kerbside-analytics-");
              assertThat(c.onEventLoop()).isFalse();
            });
  }

  @Test
  void aPassLongerThanItsIntervalIsNeverStartedTwiceAndRunsAgainAnIntervalAfterItEnds(Vertx vertx) {
    FlakyDatabase db = new FlakyDatabase(PASS_TAKES);
    vertx.deployVerticle(verticle(db)).await();

    await().atMost(Duration.ofSeconds(10)).until(() -> db.calls("readings").size() >= 5);
    await().atMost(Duration.ofSeconds(10)).until(() -> db.calls("schedule").size() >= 2);

    assertThat(db.mostAtOnce("readings")).isEqualTo(1);
    assertThat(db.mostAtOnce("schedule")).isEqualTo(1);
    assertRunsFollowAfter(db.calls("readings"), POLL);
    assertRunsFollowAfter(db.calls("schedule"), CYCLE);
  }

  /** Each run starts at least {@code interval} after the previous one ended. */
  private static void assertRunsFollowAfter(List<FlakyDatabase.Call> calls, Duration interval) {
    for (int i = 1; i < calls.size(); i++) {
      long gapMs =
          TimeUnit.NANOSECONDS.toMillis(calls.get(i).startNanos() - calls.get(i - 1).endNanos());
      // Vert.x timers never fire early; 5 ms covers the clock reads around the pass
      assertThat(gapMs).as("gap before run %d", i).isGreaterThanOrEqualTo(interval.toMillis() - 5);
    }
  }

  @Test
  void aFailingPassIsLoggedOnceAndRetriedAtEachInterval(Vertx vertx) {
    FlakyDatabase db = new FlakyDatabase(Duration.ofMillis(5));
    AnalyticsVerticle analytics = verticle(db);
    assertThat(analytics.readiness()).containsEntry("readings", true);
    vertx.deployVerticle(analytics).await();

    await().atMost(Duration.ofSeconds(10)).until(() -> db.calls("readings").size() >= 5);
    assertThat(warnings("reading pass failed, retrying at the next poll")).hasSize(1);
    assertThat(warnings("reading pass failed").get(0).getThrowableProxy().getMessage())
        .isEqualTo("database down");
    assertThat(analytics.readiness()).containsEntry("readings", false);
    assertThat(meters.get("kerbside.analytics.evaluation.failures").counter().count())
        .isGreaterThanOrEqualTo(5);

    await().atMost(Duration.ofSeconds(10)).until(() -> db.calls("schedule").size() >= 2);
    assertThat(warnings("timer pass failed, retrying at the next cycle")).hasSize(1);
    assertThat(analytics.readiness()).containsEntry("schedule", false);
  }

  private List<ILoggingEvent> warnings(String text) {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(text))
        .toList();
  }

  @Test
  void stopWaitsForThePassInProgressAndStartsNoOther(Vertx vertx, VertxTestContext test)
      throws Exception {
    FlakyDatabase db = new FlakyDatabase(Duration.ZERO);
    db.hold = new CountDownLatch(1);
    String id = vertx.deployVerticle(verticle(db)).await();
    await().atMost(Duration.ofSeconds(10)).until(() -> db.inside.get() > 0);

    AtomicInteger released = new AtomicInteger();
    vertx
        .undeploy(id)
        .onComplete(
            test.succeeding(
                v -> {
                  test.verify(
                      () -> assertThat(released.get()).as("stopped before release").isOne());
                  int calls = db.calls.size();
                  vertx.setTimer(
                      300,
                      t ->
                          test.verify(
                              () -> {
                                assertThat(db.calls).hasSize(calls);
                                assertThat(db.inside.get()).isZero();
                                test.completeNow();
                              }));
                }));
    Thread.sleep(300);
    released.incrementAndGet();
    db.hold.countDown();
    assertThat(test.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
  }
}
