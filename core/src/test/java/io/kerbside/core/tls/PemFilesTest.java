package io.kerbside.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM certificates and keys as openssl writes them, and the errors that name the setting. */
class PemFilesTest {
  @TempDir static Path dir;
  static TestCertificates ca;
  static TestCertificates.Issued client;
  static TestCertificates.Issued other;

  @BeforeAll
  static void makeCertificates() throws Exception {
    ca = TestCertificates.authority(dir, "pem");
    client = ca.issue("client", "client.example");
    other = ca.issue("other", "other.example");
  }

  private static ClientTls load(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return ClientTls.from(Settings.from(env), "KERBSIDE_X_CA", "KERBSIDE_X_CERT", "KERBSIDE_X_KEY");
  }

  @Test
  void buildsASocketFactoryFromACaAndAClientCertificate() {
    ClientTls tls =
        load(
            "KERBSIDE_X_CA", ca.caFile().toString(),
            "KERBSIDE_X_CERT", client.cert().toString(),
            "KERBSIDE_X_KEY", client.key().toString());
    assertThat(tls.isDefault()).isFalse();
    assertThat(tls.hasClientCertificate()).isTrue();
    assertThat(tls.socketFactory()).isNotNull();
    assertThat(load().isDefault()).isTrue();
  }

  @Test
  void refusesAKeyThatDoesNotMatchTheCertificate() {
    assertThatThrownBy(
            () ->
                load(
                    "KERBSIDE_X_CERT", client.cert().toString(),
                    "KERBSIDE_X_KEY", other.key().toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "KERBSIDE_X_KEY names a key in "
                + other.key()
                + " that does not match the certificate of KERBSIDE_X_CERT");
  }

  @Test
  void needsCertificateAndKeyTogether() {
    assertThatThrownBy(() -> load("KERBSIDE_X_CERT", client.cert().toString()))
        .hasMessage("KERBSIDE_X_CERT and KERBSIDE_X_KEY must be set together (or neither)");
  }

  @Test
  void namesTheSettingOfAMissingOrWrongFile() {
    assertThatThrownBy(() -> load("KERBSIDE_X_CA", dir.resolve("nope.pem").toString()))
        .hasMessage("KERBSIDE_X_CA names a file that does not exist: " + dir.resolve("nope.pem"));
    assertThatThrownBy(() -> load("KERBSIDE_X_CA", client.key().toString()))
        .hasMessage(
            "KERBSIDE_X_CA must name a PEM file with BEGIN CERTIFICATE blocks, got "
                + client.key());
    assertThatThrownBy(
            () ->
                load(
                    "KERBSIDE_X_CERT",
                    client.cert().toString(),
                    "KERBSIDE_X_KEY",
                    client.cert().toString()))
        .hasMessage(
            "KERBSIDE_X_KEY must name a PEM file with a BEGIN PRIVATE KEY block, got "
                + client.cert());
  }

  @Test
  void readsPkcs1RsaKeysAndRefusesEncryptedOnesWithTheFix() throws Exception {
    Path rsaKey = dir.resolve("rsa.key");
    Path rsaCert = dir.resolve("rsa.pem");
    openssl("genrsa", "-traditional", "-out", rsaKey.toString(), "2048");
    assertThat(Files.readString(rsaKey)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    openssl(
        "req",
        "-x509",
        "-new",
        "-key",
        rsaKey.toString(),
        "-subj",
        "/CN=rsa",
        "-days",
        "1",
        "-out",
        rsaCert.toString());
    X509Certificate cert = PemFiles.certificates("C", rsaCert).get(0);
    assertThat(PemFiles.privateKey("K", rsaKey, cert, "C").getAlgorithm()).isEqualTo("RSA");

    Path encrypted = dir.resolve("encrypted.key");
    openssl(
        "pkcs8",
        "-topk8",
        "-in",
        rsaKey.toString(),
        "-out",
        encrypted.toString(),
        "-passout",
        "pass:secret-pass");
    assertThatThrownBy(() -> PemFiles.privateKey("K", encrypted, cert, "C"))
        .hasMessageStartingWith("K names a file with a 'ENCRYPTED PRIVATE KEY' block: " + encrypted)
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  private static void openssl(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }
}
