package io.kerbside.registry.parse;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kerbside.registry.AssetFormat;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * A CSV asset list of any content is read into records and rejections, or refused as a whole with a
 * {@link MalformedAssetListException}; never another exception or a hang. Runs its inputs under
 * {@code src/test/resources} as regression tests; {@code scripts/fuzz.sh csv} fuzzes it.
 */
class CsvAssetListFuzzTest {
  @FuzzTest
  @DictionaryFile(resourcePath = "asset-lists.dict")
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void readsOrRejectsEveryList(byte[] input) throws IOException {
    AssetListFuzzing.readAndCheck(AssetFormat.CSV, input);
  }
}
