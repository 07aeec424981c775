package io.kerbside.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.ingest.decode.PayloadFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscriptionTest {
  @ParameterizedTest
  @CsvSource({
    "kerbside/+/+, kerbside/bin/b1, true",
    "kerbside/+/+, kerbside/bin/b1/extra, false",
    "kerbside/+/+, other/bin/b1, false",
    "kerbside/#, kerbside/bin/b1, true",
    "kerbside/#, kerbside, true",
    "#, $SYS/broker/uptime, false",
    "+/bin/+, $SYS/bin/x, false",
    "camden/kerbside/bin/+, camden/kerbside/bin/b1, true",
    "camden/kerbside/bin/+, islington/kerbside/bin/b1, false",
  })
  void matchesTopicsByMqttWildcardRules(String filter, String topic, boolean expected) {
    assertThat(new Subscription(filter, PayloadFormat.NATIVE, "default").matches(topic))
        .isEqualTo(expected);
  }
}
