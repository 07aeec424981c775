package io.kerbside.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestCertificates;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS settings and what production demands of a server reachable from other machines. */
class AppConfigTest {
  @TempDir static Path dir;
  static TestCertificates.Issued server;
  static TestCertificates.Issued other;

  @BeforeAll
  static void makeCertificates() throws Exception {
    TestCertificates ca = TestCertificates.authority(dir, "app");
    server = ca.issue("localhost", "localhost", "127.0.0.1");
    other = ca.issue("other", "other.example");
  }

  private static AppConfig load(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return AppConfig.from(Settings.from(env));
  }

  @Test
  void servesPlainHttpByDefault() {
    AppConfig c = load();
    assertThat(c.httpsEnabled()).isFalse();
    assertThat(c.httpScheme()).isEqualTo("http");
  }

  @Test
  void servesHttpsWithACertificateAndItsKey() {
    AppConfig c =
        load(
            "KERBSIDE_HTTP_TLS_CERT", server.cert().toString(),
            "KERBSIDE_HTTP_TLS_KEY", server.key().toString());
    assertThat(c.httpsEnabled()).isTrue();
    assertThat(c.httpScheme()).isEqualTo("https");
  }

  @Test
  void refusesHalfATlsConfiguration() {
    assertThatThrownBy(() -> load("KERBSIDE_HTTP_TLS_CERT", server.cert().toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "KERBSIDE_HTTP_TLS_CERT and KERBSIDE_HTTP_TLS_KEY must be set together (or neither)");
  }

  @Test
  void refusesAKeyOfAnotherCertificateOrAnUnreadableFile() {
    assertThatThrownBy(
            () ->
                load(
                    "KERBSIDE_HTTP_TLS_CERT", server.cert().toString(),
                    "KERBSIDE_HTTP_TLS_KEY", other.key().toString()))
        .hasMessage(
            "KERBSIDE_HTTP_TLS_KEY names a key in "
                + other.key()
                + " that does not match the certificate of KERBSIDE_HTTP_TLS_CERT");
    assertThatThrownBy(
            () ->
                load(
                    "KERBSIDE_HTTP_TLS_CERT", dir.resolve("missing.pem").toString(),
                    "KERBSIDE_HTTP_TLS_KEY", server.key().toString()))
        .hasMessage(
            "KERBSIDE_HTTP_TLS_CERT names a file that does not exist: "
                + dir.resolve("missing.pem"));
  }

  @Test
  void productionOnANonLoopbackAddressNeedsTlsOrAProxy() {
    assertThatThrownBy(
            () ->
                load(
                    "KERBSIDE_ENV", "production",
                    "KERBSIDE_HTTP_HOST", "0.0.0.0",
                    "KERBSIDE_HTTP_TOKEN", "t0ken"))
        .hasMessage(
            "KERBSIDE_HTTP_TLS_CERT and KERBSIDE_HTTP_TLS_KEY must be set when"
                + " KERBSIDE_ENV=production and KERBSIDE_HTTP_HOST is not a loopback address"
                + " ('0.0.0.0'); or set KERBSIDE_HTTP_BEHIND_PROXY=true when a proxy in front"
                + " terminates TLS");
    assertThat(
            load(
                    "KERBSIDE_ENV", "production",
                    "KERBSIDE_HTTP_HOST", "0.0.0.0",
                    "KERBSIDE_HTTP_TOKEN", "t0ken",
                    "KERBSIDE_HTTP_BEHIND_PROXY", "true")
                .httpBehindProxy())
        .isTrue();
    assertThat(
            load(
                    "KERBSIDE_ENV", "production",
                    "KERBSIDE_HTTP_HOST", "0.0.0.0",
                    "KERBSIDE_HTTP_TOKEN", "t0ken",
                    "KERBSIDE_HTTP_TLS_CERT", server.cert().toString(),
                    "KERBSIDE_HTTP_TLS_KEY", server.key().toString())
                .httpsEnabled())
        .isTrue();
    assertThat(load("KERBSIDE_ENV", "production").httpsEnabled()).isFalse();
  }
}
