package io.kerbside.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaintextTest {
  @Test
  void loopbackIsDecidedByTheTextAlone() {
    assertThat(Plaintext.isLoopback("127.0.0.1")).isTrue();
    assertThat(Plaintext.isLoopback("127.3.2.1")).isTrue();
    assertThat(Plaintext.isLoopback("LOCALHOST")).isTrue();
    assertThat(Plaintext.isLoopback("[::1]")).isTrue();
    assertThat(Plaintext.isLoopback("0.0.0.0")).isFalse();
    assertThat(Plaintext.isLoopback("localhost.example")).isFalse();
    assertThat(Plaintext.isLoopback("127.0.0.1.example")).isFalse();
  }

  @Test
  void findsTheHostOfABrokerUrl() {
    assertThat(Plaintext.hostOf("ssl://u:p@broker.example:8883/")).isEqualTo("broker.example");
    assertThat(Plaintext.hostOf("tcp://[::1]:1883")).isEqualTo("[::1]");
    assertThat(Plaintext.hostOf("tcp://localhost")).isEqualTo("localhost");
    assertThat(Plaintext.hostOf("wss://mqtt.example/mqtt")).isEqualTo("mqtt.example");
  }

  @Test
  void onlyProductionRefusesAndOnlyForOtherMachines() {
    Settings production = Settings.from(Map.of("KERBSIDE_ENV", "production"));
    assertThat(Plaintext.refused(production, "db.example")).isTrue();
    assertThat(Plaintext.refused(production, "127.0.0.1")).isFalse();
    assertThat(Plaintext.refused(Settings.from(Map.of()), "db.example")).isFalse();
    assertThat(Plaintext.refused(production.with(Plaintext.ALLOW_PLAINTEXT, "true"), "db.example"))
        .isFalse();
  }
}
