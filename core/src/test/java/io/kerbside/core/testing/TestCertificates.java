package io.kerbside.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority made with {@code openssl} in a directory of the test's: it
 * issues P-256 certificates valid for two days, with their unencrypted PKCS#8 keys. Nothing it
 * makes is ever committed.
 */
public final class TestCertificates {
  private final Path dir;
  private final String name;

  private TestCertificates(Path dir, String name) {
    this.dir = dir;
    this.name = name;
  }

  /** A new CA called {@code name} in {@code dir}: {@code <name>-ca.pem} and its key. */
  public static TestCertificates authority(Path dir, String name)
      throws IOException, InterruptedException {
    TestCertificates ca = new TestCertificates(dir, name);
    Path key = ca.newKey(name + "-ca");
    Path ext =
        ca.write(
            name + "-ca.ext",
            "basicConstraints=critical,CA:TRUE\n"
                + "keyUsage=critical,keyCertSign,cRLSign\n"
                + "subjectKeyIdentifier=hash\n");
    Path csr = dir.resolve(name + "-ca.csr");
    openssl(dir, "req", "-new", "-key", key, "-subj", "/CN=" + name + " test CA", "-out", csr);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        csr,
        "-signkey",
        key,
        "-days",
        "2",
        "-extfile",
        ext,
        "-out",
        ca.caFile());
    return ca;
  }

  /** The CA certificate, to trust. */
  public Path caFile() {
    return dir.resolve(name + "-ca.pem");
  }

  /**
   * A certificate for {@code subject} naming the given hosts (DNS names, or IP addresses) in its
   * subject alternative names, usable by servers and clients.
   */
  public Issued issue(String subject, String... hosts) throws IOException, InterruptedException {
    String base = name + "-" + subject.replaceAll("[^A-Za-z0-9.-]", "_");
    Path key = newKey(base);
    List<String> san = new ArrayList<>();
    for (String h : hosts) {
      san.add((h.matches("[0-9.]+|.*:.*") ? "IP:" : "DNS:") + h);
    }
    Path ext =
        write(
            base + ".ext",
            "basicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage=serverAuth,clientAuth\n"
                + "authorityKeyIdentifier=keyid\n"
                + (san.isEmpty() ? "" : "subjectAltName=" + String.join(",", san) + "\n"));
    Path csr = dir.resolve(base + ".csr");
    Path cert = dir.resolve(base + ".pem");
    openssl(dir, "req", "-new", "-key", key, "-subj", "/CN=" + subject, "-out", csr);
    byte[] serial = new byte[8];
    new SecureRandom().nextBytes(serial);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        caFile(),
        "-CAkey",
        dir.resolve(name + "-ca.key"),
        "-set_serial",
        "0x" + HexFormat.of().formatHex(serial),
        "-days",
        "2",
        "-extfile",
        ext,
        "-out",
        cert);
    return new Issued(cert, key);
  }

  /** A certificate and its PEM key file. */
  public record Issued(Path cert, Path key) {}

  private Path newKey(String base) throws IOException, InterruptedException {
    Path key = dir.resolve(base + ".key");
    openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key);
    return key;
  }

  private Path write(String file, String text) throws IOException {
    return Files.writeString(dir.resolve(file), text, StandardCharsets.US_ASCII);
  }

  private static void openssl(Path dir, Object... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    for (Object a : args) {
      command.add(a.toString());
    }
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          command + " failed: " + Files.readString(dir.resolve("openssl.log")).trim());
    }
  }
}
