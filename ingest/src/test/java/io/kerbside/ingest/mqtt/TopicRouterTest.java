package io.kerbside.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.CouncilRef;
import io.kerbside.ingest.IngestMetrics;
import io.kerbside.ingest.decode.DecodeLimits;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.MessageDecoder;
import io.kerbside.ingest.decode.NativeDecoder;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.Rejection;
import io.kerbside.ingest.decode.RejectionReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicRouterTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:00:30Z");
  private static final CouncilRef CAMDEN = new CouncilRef(2, "camden");
  private static final CouncilRef ISLINGTON = new CouncilRef(3, "islington");
  private static final byte[] READING =
      "{\"ts\":\"2026-11-27T10:00:00Z\",\"fill_pct\":40}".getBytes(StandardCharsets.UTF_8);

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Map<PayloadFormat, MessageDecoder> decoders = new EnumMap<>(PayloadFormat.class);

  TopicRouterTest() {
    decoders.put(
        PayloadFormat.NATIVE,
        new NativeDecoder(new DecodeLimits(1024, 8, Duration.ofMinutes(5), Duration.ofDays(30))));
    decoders.put(
        PayloadFormat.SENML,
        m -> {
          throw new AssertionError("decoded as SenML: " + m.topic());
        });
  }

  private TopicRouter router(Subscription... subscriptions) {
    return new TopicRouter(
        List.of(subscriptions),
        Map.of("camden", CAMDEN, "islington", ISLINGTON),
        decoders,
        new IngestMetrics(meters));
  }

  private double received(String format) {
    return meters.get("kerbside.ingest.messages").tag("format", format).counter().count();
  }

  @Test
  void givesAMessageTheCouncilAndFormatOfTheFilterItsTopicMatches() {
    TopicRouter router =
        router(
            new Subscription("camden/+/+", PayloadFormat.NATIVE, "camden"),
            new Subscription("islington/+/+", PayloadFormat.NATIVE, "islington"));

    DecodedMessage m = router.decode("islington/bin/b-1", READING, NOW);

    assertThat(m.raw().council()).isEqualTo(ISLINGTON);
    assertThat(m.raw().format()).isEqualTo(PayloadFormat.NATIVE);
    assertThat(m.rejections()).isEmpty();
    assertThat(m.readings())
        .singleElement()
        .satisfies(r -> assertThat(r.device().councilId()).isEqualTo(3));
    assertThat(received("native")).isEqualTo(1);
  }

  @Test
  void attributesATopicNoFilterMatchesToNoCouncil() {
    TopicRouter router =
        router(
            new Subscription("camden/+/+", PayloadFormat.NATIVE, "camden"),
            new Subscription("senml/+/+", PayloadFormat.SENML, "islington"));

    DecodedMessage m = router.decode("old/bin/b-1", READING, NOW);

    assertThat(m.raw().routed()).isFalse();
    assertThat(m.raw().council()).isNull();
    assertThat(m.raw().format()).isNull();
    assertThat(m.raw().topic()).isEqualTo("old/bin/b-1");
    assertThat(m.raw().payload()).isEqualTo(READING);
    assertThat(m.readings()).isEmpty();
    assertThat(m.rejections())
        .extracting(Rejection::reason)
        .containsExactly(RejectionReason.NO_SUBSCRIPTION);
    assertThat(m.rejections().get(0).reason().code()).isEqualTo("no_subscription");
    assertThat(m.rejections().get(0).detail()).contains("KERBSIDE_INGEST_SUBSCRIPTIONS");
    assertThat(received("none")).isEqualTo(1);
    assertThat(received("native")).isZero();
  }

  @Test
  void neverTakesTheFirstSubscriptionForATopicNoFilterMatches() {
    TopicRouter router = router(new Subscription("camden/#", PayloadFormat.NATIVE, "camden"));

    DecodedMessage m = router.decode("islington/bin/b-1", READING, NOW);

    assertThat(m.raw().council()).isNull();
    assertThat(m.readings()).isEmpty();
  }
}
