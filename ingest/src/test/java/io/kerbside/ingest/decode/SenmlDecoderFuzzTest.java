package io.kerbside.ingest.decode;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * SenML packs of any shape end as readings or rejections, never as an exception or a hang, with or
 * without a device profile chosen by their base name (the test profiles add one, {@code
 * urn:dev:roadwx:}). Runs its inputs under {@code src/test/resources} as regression tests; {@code
 * scripts/fuzz.sh senml} fuzzes it.
 */
class SenmlDecoderFuzzTest {
  private static final SenmlDecoder DECODER =
      new SenmlDecoder(Fixtures.LIMITS, Fixtures.profiles());

  @FuzzTest
  @DictionaryFile(resourcePath = "payloads.dict")
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void decodesOrRejectsEveryMessage(byte[] input) {
    DecoderFuzzing.decodeAndCheck(
        DECODER, DecoderFuzzing.message(PayloadFormat.SENML, "kerbside/streetlight/lamp-9", input));
  }
}
