package io.kerbside.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The deployed role on the real database, through an outage of it. */
@ExtendWith(VertxExtension.class)
class AnalyticsVerticleIT {

  @Test
  void passesThatFailedWhileTheDatabaseWasDownRecoverWhenItIsBack(Vertx vertx) throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(AnalyticsVerticle.class);
    log.start();
    logger.addAppender(log);
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      FlakyDatabase flaky = new FlakyDatabase(Duration.ofMillis(20), ds);
      AnalyticsConfig config =
          AnalyticsConfig.from(
              Settings.from(
                  Map.of(
                      AnalyticsConfig.POLL_INTERVAL, "50", AnalyticsConfig.CYCLE_INTERVAL, "1")));
      AnalyticsVerticle analytics =
          new AnalyticsVerticle(
              config, flaky, new AnalyticsMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
      String id = vertx.deployVerticle(analytics).await();

      await().atMost(Duration.ofSeconds(10)).until(() -> flaky.calls("readings").size() >= 3);
      assertThat(analytics.readiness()).containsEntry("readings", false);

      flaky.down = false;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> analytics.readiness().equals(Map.of("readings", true, "schedule", true)));
      int before = flaky.calls("readings").size();
      await().atMost(Duration.ofSeconds(10)).until(() -> flaky.calls("readings").size() > before);
      vertx.undeploy(id).await();

      assertThat(count(log, Level.WARN, "reading pass failed")).isOne();
      assertThat(count(log, Level.INFO, "reading pass recovered")).isOne();
      assertThat(count(log, Level.INFO, "timer pass recovered")).isOne();
      assertThat(flaky.calls).allMatch(c -> c.thread().startsWith("kerbside-analytics-"));
    } finally {
      logger.detachAppender(log);
    }
  }

  private static long count(ListAppender<ILoggingEvent> log, Level level, String text) {
    return log.list.stream()
        .filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(text))
        .count();
  }
}
