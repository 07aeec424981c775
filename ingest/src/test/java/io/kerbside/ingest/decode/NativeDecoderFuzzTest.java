package io.kerbside.ingest.decode;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Native messages of any shape end as readings or rejections, never as an exception or a hang. Runs
 * its inputs under {@code src/test/resources} as regression tests; {@code scripts/fuzz.sh native}
 * fuzzes it.
 */
class NativeDecoderFuzzTest {
  private static final NativeDecoder DECODER = new NativeDecoder(Fixtures.LIMITS);

  @FuzzTest
  @DictionaryFile(resourcePath = "payloads.dict")
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void decodesOrRejectsEveryMessage(byte[] input) {
    DecoderFuzzing.decodeAndCheck(
        DECODER, DecoderFuzzing.message(PayloadFormat.NATIVE, "kerbside/bin/bin-0001", input));
  }
}
