package io.kerbside.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kerbside.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * A profile directory holding one file of any content loads, or fails with a {@link
 * ConfigException} that says which profile is wrong; never another exception or a hang. Runs its
 * inputs under {@code src/test/resources} as regression tests; {@code scripts/fuzz.sh profiles}
 * fuzzes it.
 */
class DeviceProfilesFuzzTest {
  private static Path directory;

  @BeforeAll
  static void createDirectory() throws IOException {
    directory = Files.createTempDirectory("kerbside-profiles-fuzz");
  }

  @AfterAll
  static void deleteDirectory() throws IOException {
    Files.deleteIfExists(directory.resolve("fuzzed.json"));
    Files.deleteIfExists(directory);
  }

  @FuzzTest
  @DictionaryFile(resourcePath = "profiles.dict")
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void loadsOrRejectsEveryProfile(byte[] input) throws IOException {
    Files.write(directory.resolve("fuzzed.json"), input);
    DeviceProfiles profiles;
    try {
      profiles = DeviceProfiles.load(Optional.of(directory));
    } catch (ConfigException e) {
      assertThat(e.getMessage()).startsWith("device profile");
      return;
    }
    assertThat(profiles.names()).isNotEmpty();
  }
}
