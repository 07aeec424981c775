package io.kerbside.analytics.notify.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final byte[] BODY = "{\"alert_id\":12}".getBytes(StandardCharsets.UTF_8);

  @Test
  void signsTheTimestampAndBodyWithHmacSha256() {
    // echo -n '1764223200.{"alert_id":12}' | openssl dgst -sha256 -hmac 'crew-secret'
    assertThat(WebhookSignature.sign("crew-secret", 1_764_223_200L, BODY))
        .isEqualTo("sha256=3bd43e30086024e5572341a87fd2b1740208b936d547798d757e7ef28769f167");
  }

  @Test
  void verifiesOnlyTheSameSecretTimestampAndBody() {
    String sig = WebhookSignature.sign("crew-secret", 1_764_223_200L, BODY);
    assertThat(WebhookSignature.verify("crew-secret", 1_764_223_200L, BODY, sig)).isTrue();
    assertThat(WebhookSignature.verify("other-secret", 1_764_223_200L, BODY, sig)).isFalse();
    assertThat(WebhookSignature.verify("crew-secret", 1_764_223_201L, BODY, sig)).isFalse();
    assertThat(
            WebhookSignature.verify(
                "crew-secret",
                1_764_223_200L,
                "{\"alert_id\":13}".getBytes(StandardCharsets.UTF_8),
                sig))
        .isFalse();
    assertThat(WebhookSignature.verify("crew-secret", 1_764_223_200L, BODY, null)).isFalse();
  }
}
