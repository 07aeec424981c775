package io.kerbside.ingest.decode;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The Things Stack uplinks of any shape, mapped by the built-in device profiles, end as readings or
 * rejections, never as an exception or a hang. Runs its inputs under {@code src/test/resources} as
 * regression tests; {@code scripts/fuzz.sh ttn} fuzzes it.
 */
class TtnUplinkDecoderFuzzTest {
  private static final TtnUplinkDecoder DECODER =
      new TtnUplinkDecoder(Fixtures.LIMITS, DeviceProfiles.load(Optional.empty()));

  @FuzzTest
  @DictionaryFile(resourcePath = "payloads.dict")
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void decodesOrRejectsEveryMessage(byte[] input) {
    DecoderFuzzing.decodeAndCheck(
        DECODER,
        DecoderFuzzing.message(
            PayloadFormat.TTN, "v3/camden-bins@ttn/devices/bin-camden-0042/up", input));
  }
}
