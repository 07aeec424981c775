package io.kerbside.ingest.decode;

import io.kerbside.core.CouncilRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Test fixtures under {@code src/test/resources}: payloads, profiles and a fixed receive time. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-27T10:00:30Z");
  static final CouncilRef COUNCIL = new CouncilRef(7, "camden");
  static final DecodeLimits LIMITS =
      new DecodeLimits(65_536, 16, Duration.ofMinutes(5), Duration.ofDays(30));

  private Fixtures() {}

  static byte[] payload(String path) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RawMessage message(PayloadFormat format, String topic, String fixture) {
    return new RawMessage(COUNCIL, format, topic, payload(fixture), NOW);
  }

  /** The built-in profiles plus the test directory's. */
  static DeviceProfiles profiles() {
    try {
      return DeviceProfiles.load(
          Optional.of(Path.of(Fixtures.class.getClassLoader().getResource("profiles").toURI())));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static RejectionReason onlyReason(DecodedMessage m) {
    if (!m.readings().isEmpty() || m.rejections().size() != 1) {
      throw new AssertionError("expected one rejection, got " + m);
    }
    return m.rejections().get(0).reason();
  }
}
