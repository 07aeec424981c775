package io.kerbside.analytics.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * A routes file of any content loads, or fails with a {@link ConfigException} that names the file;
 * never another exception or a hang. The secrets the documented example names are set, so valid
 * files get past their secret checks. Runs its inputs under {@code src/test/resources} as
 * regression tests; {@code scripts/fuzz.sh routes} fuzzes it.
 */
class RoutesConfigFuzzTest {
  private static final String SOURCE = "routes.yaml";
  private static final Settings SETTINGS =
      Settings.from(
          Map.of(
              "KERBSIDE_WEBHOOK_BINS_CREW_SECRET", "crew-hmac-secret",
              "KERBSIDE_NOTIFY_MQTT_PASSWORD", "mqtt-password",
              "KERBSIDE_SMTP_PASSWORD", "smtp-password",
              "KERBSIDE_OPEN311_WORKS_API_KEY", "open311-key"));

  @FuzzTest
  @DictionaryFile(resourcePath = "routes.dict")
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void loadsOrRejectsEveryRoutesFile(byte[] input) {
    RoutesConfig routes;
    try {
      routes = RoutesConfig.parse(new String(input, StandardCharsets.UTF_8), SOURCE, SETTINGS);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).startsWith(SOURCE);
      return;
    }
    for (RoutesConfig.Route r : routes.routes()) {
      assertThat(r.channels()).isNotEmpty();
      for (String c : r.channels()) {
        assertThat(routes.channel(c)).as("channel %s of route %s", c, r.name()).isPresent();
      }
    }
  }
}
