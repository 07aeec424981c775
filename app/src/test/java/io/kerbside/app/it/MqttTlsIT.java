package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestCertificates;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestMosquitto;
import io.kerbside.core.testing.TestPublisher;
import io.kerbside.core.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest over {@code ssl://} against a Mosquitto of the test's own with certificates made at test
 * time: a custom CA, a client certificate, and the failures a wrong CA or host name must cause.
 */
class MqttTlsIT {
  @TempDir static Path dir;
  static TestCertificates ca;
  static TestCertificates.Issued broker;
  static TestCertificates.Issued client;

  private TestDatabase db;
  private String prefix;
  private final Map<String, String> env = new HashMap<>();

  @BeforeAll
  static void makeCertificates() throws Exception {
    ca = TestCertificates.authority(dir, "mqtt");
    broker = ca.issue("localhost", "localhost", "127.0.0.1");
    client = ca.issue("kerbside-ingest");
  }

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", TestServices.adminUser());
    env.put("KERBSIDE_DB_MIGRATE", "true");
    env.put("KERBSIDE_MQTT_CLIENT_ID", prefix);
    env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", prefix + "/kerbside/+/+=native@default");
    env.put("KERBSIDE_HTTP_PORT", "0");
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  private void storesAPublishedReading(TestMosquitto mosquitto) throws Exception {
    try (KerbsideProcess p = KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST));
        TestPublisher pub = new TestPublisher(mosquitto.plainUrl())) {
      String ts = Instant.now().minusSeconds(60).toString();
      pub.publish(
          prefix + "/kerbside/bin/bin-tls-1", "{\"ts\":\"" + ts + "\",\"seq\":1,\"fill_pct\":42}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> db.count("SELECT count(*) FROM reading") == 1);
    }
  }

  @Test
  void storesReadingsFromABrokerSignedByACustomCa() throws Exception {
    try (TestMosquitto mosquitto = TestMosquitto.start(dir, ca.caFile(), broker, false)) {
      env.put("KERBSIDE_MQTT_URL", "ssl://127.0.0.1:" + mosquitto.tlsPort());
      env.put("KERBSIDE_MQTT_CA_FILE", ca.caFile().toString());
      storesAPublishedReading(mosquitto);
    }
  }

  @Test
  void presentsAClientCertificateWhenTheBrokerRequiresOne() throws Exception {
    try (TestMosquitto mosquitto = TestMosquitto.start(dir, ca.caFile(), broker, true)) {
      env.put("KERBSIDE_MQTT_URL", "ssl://localhost:" + mosquitto.tlsPort());
      env.put("KERBSIDE_MQTT_CA_FILE", ca.caFile().toString());
      env.put("KERBSIDE_MQTT_CLIENT_CERT", client.cert().toString());
      env.put("KERBSIDE_MQTT_CLIENT_KEY", client.key().toString());
      storesAPublishedReading(mosquitto);
    }
  }

  @Test
  void withoutTheRequiredClientCertificateStartUpFails() throws Exception {
    try (TestMosquitto mosquitto = TestMosquitto.start(dir, ca.caFile(), broker, true)) {
      env.put("KERBSIDE_MQTT_URL", "ssl://127.0.0.1:" + mosquitto.tlsPort());
      env.put("KERBSIDE_MQTT_CA_FILE", ca.caFile().toString());
      assertThatThrownBy(
              () -> KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST)).close())
          .isInstanceOf(MqttException.class)
          .cause()
          .hasMessageContaining("the TLS handshake with the broker at ssl://127.0.0.1:")
          .hasMessageContaining("KERBSIDE_MQTT_CLIENT_CERT");
    }
  }

  @Test
  void aBrokerCertificateFromAnotherCaFailsStartUpClearly() throws Exception {
    TestCertificates stranger = TestCertificates.authority(dir, "stranger");
    try (TestMosquitto mosquitto = TestMosquitto.start(dir, ca.caFile(), broker, false)) {
      env.put("KERBSIDE_MQTT_URL", "ssl://127.0.0.1:" + mosquitto.tlsPort());
      env.put("KERBSIDE_MQTT_CA_FILE", stranger.caFile().toString());
      assertThatThrownBy(
              () -> KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST)).close())
          .isInstanceOf(MqttException.class)
          .cause()
          .hasMessageStartingWith(
              "the TLS handshake with the broker at ssl://127.0.0.1:"
                  + mosquitto.tlsPort()
                  + " failed (")
          .hasMessageContaining("check that KERBSIDE_MQTT_CA_FILE holds the CA");
    }
  }

  @Test
  void aBrokerCertificateForAnotherHostFailsHostnameVerification() throws Exception {
    TestCertificates.Issued elsewhere = ca.issue("elsewhere", "elsewhere.example");
    try (TestMosquitto mosquitto = TestMosquitto.start(dir, ca.caFile(), elsewhere, false)) {
      env.put("KERBSIDE_MQTT_URL", "ssl://127.0.0.1:" + mosquitto.tlsPort());
      env.put("KERBSIDE_MQTT_CA_FILE", ca.caFile().toString());
      assertThatThrownBy(
              () -> KerbsideProcess.start(Settings.from(env), EnumSet.of(Role.INGEST)).close())
          .isInstanceOf(MqttException.class)
          .cause()
          .hasMessageContaining("the TLS handshake with the broker at ssl://127.0.0.1:")
          .hasMessageContaining("names the host of KERBSIDE_MQTT_URL");
    }
  }
}
