package io.kerbside.analytics.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kerbside.analytics.notify.it.DeliveryFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How the deployed verticle schedules deliveries, with a channel that stands in for a team: it
 * records the thread each notice was delivered on, can take its time or wait to be released.
 */
@ExtendWith(VertxExtension.class)
class DeliveryVerticleIT {
  private DeliveryFixtures fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = DeliveryFixtures.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  /** threads, batch size and poll interval as given; fast retries, no Open311 poll to speak of. */
  private static DeliveryConfig config(int threads, int batchSize, int pollIntervalMs) {
    return new DeliveryConfig(threads, batchSize, pollIntervalMs, 50, 200, 5, 30, 3_600);
  }

  private String deploy(Vertx vertx, DeliveryVerticle verticle) {
    return vertx.deployVerticle(verticle).await();
  }

  private DeliveryVerticle verticle(DeliveryConfig config, Channel channel) {
    return new DeliveryVerticle(
        fx.ds,
        config,
        notice -> List.of(),
        List.of(channel),
        List.of(),
        (id, actor, note) -> false,
        new SimpleMeterRegistry());
  }

  private List<Long> queue(int n) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(fx.queued("bin-full", "crew"));
    }
    return ids;
  }

  private long delivered() throws Exception {
    return fx.db.count("SELECT count(*) FROM delivery WHERE status = 'delivered'");
  }

  @Test
  void deliversOnTheDeliveryPoolNeverOnAnEventLoop(Vertx vertx) throws Exception {
    TeamChannel team = new TeamChannel(Duration.ofMillis(20));
    queue(6);
    String id = deploy(vertx, verticle(config(2, 2, 20), team));

    await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 6);
    vertx.undeploy(id).await();
    assertThat(team.calls)
        .hasSize(6)
        .allSatisfy(
            c -> {
              assertThat(c.thread()).startsWith("kerbside-delivery-");
              assertThat(c.onEventLoop()).isFalse();
            });
  }

  @Test
  void neverRunsMoreThanItsThreadsAtOnce(Vertx vertx) throws Exception {
    TeamChannel team = new TeamChannel(Duration.ofMillis(100));
    queue(10);
    String id = deploy(vertx, verticle(config(2, 1, 10), team));

    await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 10);
    vertx.undeploy(id).await();
    assertThat(team.mostAtOnce.get()).isEqualTo(2);
  }

  @Test
  void aFullBatchIsFollowedAtOnceByAnotherRun(Vertx vertx) throws Exception {
    TeamChannel team = new TeamChannel(Duration.ZERO);
    queue(5);
    // one batch of one at start; without the follow-up runs the rest would wait for the next poll
    String id = deploy(vertx, verticle(config(1, 1, 60_000), team));

    await().atMost(Duration.ofSeconds(10)).until(() -> delivered() == 5);
    vertx.undeploy(id).await();
  }

  @Test
  void wakeUpDeliversWithoutWaitingForThePoll(Vertx vertx) throws Exception {
    TeamChannel team = new TeamChannel(Duration.ZERO);
    DeliveryVerticle delivery = verticle(config(1, 10, 60_000), team);
    String id = deploy(vertx, delivery);
    // the run at start found nothing; the next poll is a minute away
    Thread.sleep(300);

    long queued = fx.queued("bin-full", "crew");
    delivery.wakeUp();
    await().atMost(Duration.ofSeconds(5)).until(() -> "delivered".equals(fx.status(queued)));
    vertx.undeploy(id).await();
  }

  @Test
  void stopWaitsForTheDeliveryInProgressThenClaimsNothingMore(Vertx vertx) throws Exception {
    TeamChannel team = new TeamChannel(Duration.ZERO);
    team.hold = new CountDownLatch(1);
    queue(2);
    String id = deploy(vertx, verticle(config(1, 1, 20), team));
    await().atMost(Duration.ofSeconds(10)).until(() -> team.inside.get() == 1);

    Future<Void> stopped = vertx.undeploy(id);
    Thread.sleep(300);
    assertThat(stopped.isComplete()).as("stopped while a delivery is in progress").isFalse();

    team.hold.countDown();
    stopped.await();
    assertThat(delivered()).isOne();
    Thread.sleep(300);
    assertThat(team.calls).hasSize(1);
    assertThat(
            fx.db.count("SELECT count(*) FROM delivery WHERE status = 'pending' AND attempts = 0"))
        .as("the other delivery, never claimed")
        .isOne();
  }

  record Call(String thread, boolean onEventLoop) {}

  /** The channel {@code crew}: delivers after {@code takes}, or once {@link #hold} opens. */
  static final class TeamChannel implements Channel {
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    volatile CountDownLatch hold;
    private final Duration takes;

    TeamChannel(Duration takes) {
      this.takes = takes;
    }

    @Override
    public String name() {
      return "crew";
    }

    @Override
    public ChannelType type() {
      return ChannelType.WEBHOOK;
    }

    @Override
    public DeliveryOutcome deliver(AlertNotice notice) {
      calls.add(new Call(Thread.currentThread().getName(), Context.isOnEventLoopThread()));
      mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
      try {
        CountDownLatch h = hold;
        if (h != null) {
          h.await();
        }
        Thread.sleep(takes.toMillis());
        return DeliveryOutcome.delivered();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return DeliveryOutcome.retry("interrupted");
      } finally {
        inside.decrementAndGet();
      }
    }
  }
}
