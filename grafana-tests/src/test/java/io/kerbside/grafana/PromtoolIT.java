package io.kerbside.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The example Prometheus configuration and the alerting rules pass {@code promtool} (installed with
 * Debian's prometheus package by scripts/services.sh up), including the rules' unit tests.
 */
class PromtoolIT {
  private static final Path DIR = GrafanaFiles.root().resolve("prometheus");

  @Test
  void exampleConfigurationIsValid() throws Exception {
    assertThat(promtool("check", "config", "prometheus.yml")).contains("SUCCESS");
  }

  @Test
  void alertingRulesAreValidAndPassTheirUnitTests() throws Exception {
    assertThat(promtool("check", "rules", "kerbside-alerts.yml"))
        .contains("SUCCESS: 6 rules found");
    assertThat(promtool("test", "rules", "kerbside-alerts-test.yml")).contains("SUCCESS");
  }

  private static String promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "promtool not found: run scripts/services.sh up (it installs Debian's prometheus)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    return out;
  }
}
