package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestCertificates;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP server with a certificate: HTTPS only, verified by clients that trust its CA. */
class HttpsIT {
  @TempDir static Path dir;
  static TestCertificates ca;
  static TestCertificates.Issued server;

  private TestDatabase db;
  private final Map<String, String> env = new HashMap<>();

  @BeforeAll
  static void makeCertificates() throws Exception {
    ca = TestCertificates.authority(dir, "https");
    server = ca.issue("localhost", "localhost", "127.0.0.1");
  }

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", TestServices.adminUser());
    env.put("KERBSIDE_DB_MIGRATE", "true");
    env.put("KERBSIDE_HTTP_PORT", "0");
    env.put("KERBSIDE_HTTP_TLS_CERT", server.cert().toString());
    env.put("KERBSIDE_HTTP_TLS_KEY", server.key().toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  private static HttpClient trusting(Path caFile) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (var in = java.nio.file.Files.newInputStream(caFile)) {
      trusted.setCertificateEntry(
          "ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(context)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHttpsToAClientThatTrustsTheCa() throws Exception {
    try (KerbsideProcess p =
        KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class))) {
      HttpClient client = trusting(ca.caFile());
      HttpResponse<String> health = get(client, "https://127.0.0.1:" + p.httpPort() + "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");
      assertThat(get(client, "https://localhost:" + p.httpPort() + "/ready").statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void refusesPlainHttpOnTheSamePort() throws Exception {
    try (KerbsideProcess p =
        KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class))) {
      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + p.httpPort() + "/health"))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCaCannotConnect() throws Exception {
    TestCertificates stranger = TestCertificates.authority(dir, "stranger");
    try (KerbsideProcess p =
        KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class))) {
      String url = "https://127.0.0.1:" + p.httpPort() + "/health";
      assertThatThrownBy(() -> get(trusting(stranger.caFile()), url))
          .isInstanceOf(SSLHandshakeException.class);
      // the JVM's default trust store does not know the test CA either
      assertThatThrownBy(() -> get(HttpClient.newHttpClient(), url))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void aCertificateForAnotherHostFailsVerification() throws Exception {
    TestCertificates.Issued elsewhere = ca.issue("elsewhere", "elsewhere.example");
    env.put("KERBSIDE_HTTP_TLS_CERT", elsewhere.cert().toString());
    env.put("KERBSIDE_HTTP_TLS_KEY", elsewhere.key().toString());
    try (KerbsideProcess p =
        KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class))) {
      assertThatThrownBy(
              () -> get(trusting(ca.caFile()), "https://127.0.0.1:" + p.httpPort() + "/health"))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }
}
