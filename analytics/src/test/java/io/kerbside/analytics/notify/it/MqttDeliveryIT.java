package io.kerbside.analytics.notify.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.analytics.notify.Channel;
import io.kerbside.analytics.notify.DeliveryOutcome;
import io.kerbside.analytics.notify.Notices;
import io.kerbside.analytics.notify.RoutesConfig;
import io.kerbside.analytics.notify.channel.Channels;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestCertificates;
import io.kerbside.core.testing.TestMosquitto;
import io.kerbside.core.testing.TestServices;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT delivery to the real test broker. */
class MqttDeliveryIT {
  record Got(String topic, MqttMessage message) {}

  @Test
  void publishesTheNoticeToTheCouncilKindRuleTopic() throws Exception {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "/alerts";
    BlockingQueue<Got> got = new LinkedBlockingQueue<>();
    MqttClient subscriber =
        new MqttClient(TestServices.mqttUrl(), "sub-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    subscriber.connect(options);
    subscriber.subscribe(prefix + "/#", 1, (topic, message) -> got.add(new Got(topic, message)));
    RoutesConfig routes =
        RoutesConfig.parse(
            "channels:\n"
                + "  - name: town-broker\n"
                + "    type: mqtt\n"
                + "    url: "
                + TestServices.mqttUrl()
                + "\n"
                + "    topic_prefix: "
                + prefix
                + "\n",
            "routes.yaml",
            Settings.from(Map.of()));
    try (Channel channel =
        Channels.create(routes.channel("town-broker").orElseThrow(), Clock.systemUTC())) {
      assertThat(channel.deliver(Notices.binFull())).isInstanceOf(DeliveryOutcome.Delivered.class);
      // a second notice over the same connection
      assertThat(
              channel.deliver(
                  Notices.notice(
                      "default",
                      "streetlight",
                      "lamp-failure",
                      "critical",
                      "opened",
                      java.util.Optional.empty())))
          .isInstanceOf(DeliveryOutcome.Delivered.class);

      Got first = got.poll(10, TimeUnit.SECONDS);
      Got second = got.poll(10, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(second).isNotNull();
      assertThat(first.topic()).isEqualTo(prefix + "/default/bin/bin-full");
      assertThat(second.topic()).isEqualTo(prefix + "/default/streetlight/lamp-failure");
      assertThat(first.message().getQos()).isEqualTo(1);
      assertThat(first.message().isRetained()).isFalse();
      JsonNode json = new ObjectMapper().readTree(first.message().getPayload());
      assertThat(json.get("alert_id").asLong()).isEqualTo(12);
      assertThat(json.get("severity").asText()).isEqualTo("major");
      assertThat(json.at("/asset/latitude").asDouble()).isEqualTo(52.2053);
    } finally {
      subscriber.disconnect();
      subscriber.close();
    }
  }

  @Test
  void anUnreachableBrokerIsRetried() {
    RoutesConfig routes =
        RoutesConfig.parse(
            "channels:\n"
                + "  - name: gone\n"
                + "    type: mqtt\n"
                + "    url: tcp://127.0.0.1:1\n"
                + "    timeout_ms: 1000\n",
            "routes.yaml",
            Settings.from(Map.of()));
    try (Channel channel =
        Channels.create(routes.channel("gone").orElseThrow(), Clock.systemUTC())) {
      assertThat(channel.deliver(Notices.binFull()))
          .isInstanceOf(DeliveryOutcome.RetryableFailure.class);
    }
  }

  @Test
  void publishesOverTlsToABrokerSignedByACustomCa(@TempDir Path dir) throws Exception {
    TestCertificates ca = TestCertificates.authority(dir, "alerts");
    TestCertificates.Issued broker = ca.issue("localhost", "localhost", "127.0.0.1");
    TestCertificates.Issued client = ca.issue("kerbside-notify");
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "/alerts";
    BlockingQueue<Got> got = new LinkedBlockingQueue<>();
    try (TestMosquitto mosquitto = TestMosquitto.start(dir, ca.caFile(), broker, true)) {
      MqttClient subscriber =
          new MqttClient(mosquitto.plainUrl(), "sub-" + UUID.randomUUID(), new MemoryPersistence());
      subscriber.connect();
      subscriber.subscribe(prefix + "/#", 1, (topic, message) -> got.add(new Got(topic, message)));
      RoutesConfig routes =
          RoutesConfig.parse(
              "channels:\n"
                  + "  - name: town-broker\n"
                  + "    type: mqtt\n"
                  + "    url: ssl://127.0.0.1:"
                  + mosquitto.tlsPort()
                  + "\n"
                  + "    topic_prefix: "
                  + prefix
                  + "\n"
                  + "    ca_file: "
                  + ca.caFile()
                  + "\n"
                  + "    client_cert: "
                  + client.cert()
                  + "\n"
                  + "    client_key: "
                  + client.key()
                  + "\n",
              "routes.yaml",
              Settings.from(Map.of()));
      try (Channel channel =
          Channels.create(routes.channel("town-broker").orElseThrow(), Clock.systemUTC())) {
        assertThat(channel.deliver(Notices.binFull()))
            .isInstanceOf(DeliveryOutcome.Delivered.class);
        Got first = got.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.topic()).isEqualTo(prefix + "/default/bin/bin-full");
      } finally {
        subscriber.disconnect();
        subscriber.close();
      }
    }
  }

  @Test
  void aBrokerCertificateFromAnotherCaIsNotTrusted(@TempDir Path dir) throws Exception {
    TestCertificates ca = TestCertificates.authority(dir, "alerts");
    TestCertificates stranger = TestCertificates.authority(dir, "stranger");
    TestCertificates.Issued broker = ca.issue("localhost", "localhost", "127.0.0.1");
    try (TestMosquitto mosquitto = TestMosquitto.start(dir, ca.caFile(), broker, false)) {
      RoutesConfig routes =
          RoutesConfig.parse(
              "channels:\n"
                  + "  - name: town-broker\n"
                  + "    type: mqtt\n"
                  + "    url: ssl://127.0.0.1:"
                  + mosquitto.tlsPort()
                  + "\n"
                  + "    timeout_ms: 2000\n"
                  + "    ca_file: "
                  + stranger.caFile()
                  + "\n",
              "routes.yaml",
              Settings.from(Map.of()));
      try (Channel channel =
          Channels.create(routes.channel("town-broker").orElseThrow(), Clock.systemUTC())) {
        assertThat(channel.deliver(Notices.binFull()))
            .isInstanceOf(DeliveryOutcome.RetryableFailure.class);
      }
    }
  }
}
