package io.kerbside.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.Metric;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the decoder fuzz tests share: how a fuzzed input becomes a message, and the contract every
 * decoded message must keep.
 *
 * <p>An input is a topic line and a payload: the bytes before the first {@code \n} are the topic
 * (UTF-8), the rest the payload. An input without a line break is all payload, on the target's
 * default topic, so raw payloads work as seeds too.
 */
final class DecoderFuzzing {
  private DecoderFuzzing() {}

  static RawMessage message(PayloadFormat format, String defaultTopic, byte[] input) {
    int nl = indexOf(input, (byte) '\n');
    String topic = nl < 0 ? defaultTopic : new String(input, 0, nl, StandardCharsets.UTF_8);
    byte[] payload = nl < 0 ? input : Arrays.copyOfRange(input, nl + 1, input.length);
    return new RawMessage(Fixtures.COUNCIL, format, topic, payload, Fixtures.NOW);
  }

  /**
   * Decodes {@code msg} and checks that it ended decoded or rejected with a reason: something came
   * out, every rejection has a reason and a detail, and every reading lies in the accepted time
   * window with each value absent (NaN) or within its metric's range.
   */
  static DecodedMessage decodeAndCheck(MessageDecoder decoder, RawMessage msg) {
    DecodedMessage decoded = decoder.decode(msg);
    assertThat(decoded).as("decoded message").isNotNull();
    assertThat(decoded.raw()).isSameAs(msg);
    assertThat(decoded.readings().size() + decoded.rejections().size())
        .as("readings and rejections of %s", decoded)
        .isPositive();
    for (Rejection r : decoded.rejections()) {
      assertThat(r.reason()).as("rejection reason").isNotNull();
      assertThat(r.detail()).as("detail of %s", r.reason()).isNotBlank();
    }
    DecodeLimits limits = Fixtures.LIMITS;
    for (Reading r : decoded.readings()) {
      assertThat(r.device()).isNotNull();
      assertThat(r.at())
          .as("reading time")
          .isBetween(
              msg.receivedAt().minus(limits.maxAge()), msg.receivedAt().plus(limits.maxFuture()));
      for (Metric m : Metric.values()) {
        double v = r.value(m);
        if (!Double.isNaN(v)) {
          assertThat(m.appliesTo(r.device().kind()))
              .as("%s on a %s", m, r.device().kind())
              .isTrue();
          assertThat(m.inRange(v)).as("%s = %s", m, v).isTrue();
        }
      }
    }
    return decoded;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
