package io.kerbside.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.mqtt.Subscription;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {
  private static IngestConfig load(Map<String, String> env) {
    return IngestConfig.from(Settings.from(env));
  }

  @Test
  void hasWorkingDefaultsForALocalBroker() {
    IngestConfig c = load(Map.of());
    assertThat(c.mqttUrl()).isEqualTo("tcp://127.0.0.1:1883");
    assertThat(c.subscriptions())
        .containsExactly(new Subscription("kerbside/+/+", PayloadFormat.NATIVE, "default"));
    assertThat(c.autoRegister()).isTrue();
    assertThat(c.maxPayloadBytes()).isEqualTo(65536);
    assertThat(c.maxFutureSeconds()).isEqualTo(300);
  }

  @Test
  void namesTheSettingWhenANumberIsOutOfRange() {
    assertThatThrownBy(() -> load(Map.of("KERBSIDE_INGEST_BATCH_SIZE", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("KERBSIDE_INGEST_BATCH_SIZE must be between 1 and 50000, got 0");
    assertThatThrownBy(() -> load(Map.of("KERBSIDE_INGEST_MAX_FUTURE_S", "soon")))
        .hasMessage("KERBSIDE_INGEST_MAX_FUTURE_S must be a whole number, got 'soon'");
  }

  @Test
  void parsesSeveralSubscriptionsWithCouncilAndFormat() {
    IngestConfig c =
        load(
            Map.of(
                "KERBSIDE_INGEST_SUBSCRIPTIONS",
                "camden/kerbside/+/+=native@camden, islington/#=native@islington"));
    assertThat(c.subscriptions())
        .containsExactly(
            new Subscription("camden/kerbside/+/+", PayloadFormat.NATIVE, "camden"),
            new Subscription("islington/#", PayloadFormat.NATIVE, "islington"));
  }

  @Test
  void rejectsUnknownFormatsAndSharePrefixesInSubscriptions() {
    assertThatThrownBy(() -> load(Map.of("KERBSIDE_INGEST_SUBSCRIPTIONS", "a/#=xml@default")))
        .hasMessageContaining("KERBSIDE_INGEST_SUBSCRIPTIONS format 'xml' is unknown");
    assertThatThrownBy(
            () -> load(Map.of("KERBSIDE_INGEST_SUBSCRIPTIONS", "$share/g/a/#=native@default")))
        .hasMessageContaining("KERBSIDE_INGEST_SHARE_GROUP");
    assertThatThrownBy(() -> load(Map.of("KERBSIDE_INGEST_SUBSCRIPTIONS", "a/#")))
        .hasMessageContaining("topic/filter=format@council");
  }

  @Test
  void refusesFiltersThatCanMatchOneTopicUnderDifferentCouncils() {
    assertThatThrownBy(
            () -> load(Map.of("KERBSIDE_INGEST_SUBSCRIPTIONS", "+/+/+=native@a,b/+/+=native@b")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("KERBSIDE_INGEST_SUBSCRIPTIONS filters '+/+/+' and 'b/+/+' overlap")
        .hasMessageContaining("'+/+/+=native@a' and 'b/+/+=native@b'");
  }

  @Test
  void refusesFiltersThatCanMatchOneTopicUnderDifferentFormats() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "KERBSIDE_INGEST_SUBSCRIPTIONS",
                        "camden/#=native@camden, camden/bin/+=senml@camden")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "KERBSIDE_INGEST_SUBSCRIPTIONS filters 'camden/#' and 'camden/bin/+' overlap");
  }

  @Test
  void refusesAnEntryGivenTwice() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "KERBSIDE_INGEST_SUBSCRIPTIONS", "a/+=native@x, b/+=ttn@x, a/+=native@x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("KERBSIDE_INGEST_SUBSCRIPTIONS lists 'a/+=native@x' twice");
  }

  @Test
  void acceptsOverlappingFiltersOfOneCouncilAndFormat() {
    IngestConfig c =
        load(Map.of("KERBSIDE_INGEST_SUBSCRIPTIONS", "a/#=native@x, a/bin/+=native@x, b/+=ttn@x"));
    assertThat(c.subscriptions()).hasSize(3);
  }

  @Test
  void aShareGroupDoesNotHideAnOverlap() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "KERBSIDE_INGEST_SHARE_GROUP",
                        "ingest",
                        "KERBSIDE_INGEST_SUBSCRIPTIONS",
                        "a/+=native@a, +/b=native@b")))
        .hasMessageStartingWith("KERBSIDE_INGEST_SUBSCRIPTIONS filters 'a/+' and '+/b' overlap");
  }

  @Test
  void refusesWildcardsThatAreNotWholeLevels() {
    assertThatThrownBy(() -> load(Map.of("KERBSIDE_INGEST_SUBSCRIPTIONS", "a/b+=native@x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KERBSIDE_INGEST_SUBSCRIPTIONS filter 'a/b+' is invalid");
    assertThatThrownBy(() -> load(Map.of("KERBSIDE_INGEST_SUBSCRIPTIONS", "a/#/b=native@x")))
        .hasMessageContaining("KERBSIDE_INGEST_SUBSCRIPTIONS filter 'a/#/b' is invalid");
  }

  @Test
  void prefixesSharedSubscriptionsWithTheGroup() {
    IngestConfig c = load(Map.of("KERBSIDE_INGEST_SHARE_GROUP", "ingest"));
    assertThat(c.brokerFilter(c.subscriptions().get(0))).isEqualTo("$share/ingest/kerbside/+/+");
  }

  @Test
  void productionRequiresBrokerCredentialsAndTurnsAutoRegistrationOff() {
    assertThatThrownBy(() -> load(Map.of("KERBSIDE_ENV", "production")))
        .hasMessage(
            "KERBSIDE_MQTT_USERNAME and KERBSIDE_MQTT_PASSWORD must be set when KERBSIDE_ENV=production");
    IngestConfig c =
        load(
            Map.of(
                "KERBSIDE_ENV",
                "production",
                "KERBSIDE_MQTT_USERNAME",
                "ingest",
                "KERBSIDE_MQTT_PASSWORD",
                "s3cret"));
    assertThat(c.autoRegister()).isFalse();
  }

  @Test
  void neverShowsThePasswordInToString() {
    IngestConfig c =
        load(Map.of("KERBSIDE_MQTT_USERNAME", "u", "KERBSIDE_MQTT_PASSWORD", "hunter2"));
    assertThat(c.toString()).doesNotContain("hunter2").contains("mqttPassword=<masked>");
    assertThat(c.mqttPassword().reveal()).isEqualTo("hunter2");
  }

  @Test
  void rejectsABrokerUrlWithoutScheme() {
    assertThatThrownBy(() -> load(Map.of("KERBSIDE_MQTT_URL", "localhost:1883")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("KERBSIDE_MQTT_URL must look like");
  }

  private static Map<String, String> production(String url, String... more) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("KERBSIDE_ENV", "production");
    env.put("KERBSIDE_MQTT_USERNAME", "ingest");
    env.put("KERBSIDE_MQTT_PASSWORD", "s3cret");
    env.put("KERBSIDE_MQTT_URL", url);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void productionRefusesAnUnencryptedBrokerOnAnotherMachine() {
    assertThatThrownBy(() -> load(production("tcp://user:pw@mqtt.example:1883")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "KERBSIDE_MQTT_URL must be ssl:// (or wss://) for the broker host 'mqtt.example' when"
                + " KERBSIDE_ENV=production, got 'tcp://user:<masked>@mqtt.example:1883'; set"
                + " KERBSIDE_ALLOW_PLAINTEXT=true to allow it unencrypted");
    assertThatThrownBy(() -> load(production("ws://10.1.2.3:8080")))
        .hasMessageStartingWith(
            "KERBSIDE_MQTT_URL must be ssl:// (or wss://) for the broker host '10.1.2.3'");
    assertThat(load(production("ssl://mqtt.example:8883")).mqttTls().isDefault()).isTrue();
    assertThat(load(production("tcp://127.0.0.1:1883")).mqttUrl()).startsWith("tcp://");
    assertThat(
            load(production("tcp://mqtt.example:1883", "KERBSIDE_ALLOW_PLAINTEXT", "true"))
                .mqttUrl())
        .isEqualTo("tcp://mqtt.example:1883");
  }

  @Test
  void brokerTlsFilesNeedAnEncryptedUrl() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "KERBSIDE_MQTT_URL", "tcp://127.0.0.1:1883",
                        "KERBSIDE_MQTT_CA_FILE", "/etc/ssl/certs/ca-certificates.crt")))
        .hasMessage(
            "KERBSIDE_MQTT_CA_FILE, KERBSIDE_MQTT_CLIENT_CERT and KERBSIDE_MQTT_CLIENT_KEY need an"
                + " ssl:// or wss:// KERBSIDE_MQTT_URL, got 'tcp://127.0.0.1:1883'");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "KERBSIDE_MQTT_URL", "ssl://127.0.0.1:8883",
                        "KERBSIDE_MQTT_CA_FILE", "/nonexistent/ca.pem")))
        .hasMessage("KERBSIDE_MQTT_CA_FILE names a file that does not exist: /nonexistent/ca.pem");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(
                        "KERBSIDE_MQTT_URL", "ssl://127.0.0.1:8883",
                        "KERBSIDE_MQTT_CLIENT_KEY", "/nonexistent/key.pem")))
        .hasMessage(
            "KERBSIDE_MQTT_CLIENT_CERT and KERBSIDE_MQTT_CLIENT_KEY must be set together (or"
                + " neither)");
  }
}
