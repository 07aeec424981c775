package io.kerbside.ingest.decode;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * ChirpStack events of any shape, mapped by the built-in device profiles, end as readings or
 * rejections, never as an exception or a hang. Runs its inputs under {@code src/test/resources} as
 * regression tests; {@code scripts/fuzz.sh chirpstack} fuzzes it.
 */
class ChirpStackDecoderFuzzTest {
  private static final ChirpStackDecoder DECODER =
      new ChirpStackDecoder(Fixtures.LIMITS, DeviceProfiles.load(Optional.empty()));

  @FuzzTest
  @DictionaryFile(resourcePath = "payloads.dict")
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void decodesOrRejectsEveryMessage(byte[] input) {
    DecoderFuzzing.decodeAndCheck(
        DECODER,
        DecoderFuzzing.message(
            PayloadFormat.CHIRPSTACK,
            "application/17c82e96-be03-4f38-aef3-f83d48582d97/device/24e124713b245678/event/up",
            input));
  }
}
