package io.kerbside.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSettingsTest {
  @TempDir Path dir;

  static Subject subject(DeviceKind kind, String ward, String assetRef) {
    return new Subject(
        new CouncilRef(1, "default"),
        1,
        "dev-1",
        kind,
        Duration.ofMinutes(10),
        Optional.of(
            new Subject.AssetInfo(
                1, assetRef, "asset", 52.2, 0.12, "High Street", ward, 1000, 60.0)));
  }

  RuleSettings load(String yaml) throws IOException {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, yaml);
    return RuleSettings.load(file, "KERBSIDE_ANALYTICS_RULES");
  }

  @Test
  void theMostSpecificOverrideWinsAssetThenWardThenKindThenRuleThenDefault() throws IOException {
    RuleSettings s =
        load(
            """
            battery-low:
              battery_v: 3.25
              kinds:
                pavement: { battery_v: 3.35 }
              wards:
                Market: { battery_v: 3.4 }
              assets:
                CAS/PAV/00042: { battery_v: 3.5 }
            """);
    Rule rule = RuleCatalog.byCode("battery-low").orElseThrow();
    assertThat(s.params(rule, subject(DeviceKind.BIN, "Castle", "CAS/BIN/00001")).get("battery_v"))
        .isEqualTo(3.25);
    assertThat(
            s.params(rule, subject(DeviceKind.PAVEMENT, "Castle", "CAS/PAV/00001"))
                .get("battery_v"))
        .isEqualTo(3.35);
    assertThat(
            s.params(rule, subject(DeviceKind.PAVEMENT, "Market", "CAS/PAV/00001"))
                .get("battery_v"))
        .isEqualTo(3.4);
    assertThat(
            s.params(rule, subject(DeviceKind.PAVEMENT, "Market", "CAS/PAV/00042"))
                .get("battery_v"))
        .isEqualTo(3.5);
    // parameters not overridden keep the rule's defaults
    assertThat(
            s.params(rule, subject(DeviceKind.PAVEMENT, "Market", "CAS/PAV/00042"))
                .get("min_readings"))
        .isEqualTo(3);
  }

  @Test
  void setsSeverityAndDisablesRules() throws IOException {
    RuleSettings s =
        load(
            """
            lamp-failure:
              severity: critical
            stuck-sensor:
              enabled: false
            """);
    assertThat(s.severity(RuleCatalog.byCode("lamp-failure").orElseThrow()))
        .isEqualTo(Severity.CRITICAL);
    assertThat(s.enabledRules()).extracting(Rule::code).doesNotContain("stuck-sensor");
    assertThat(s.enabledRules()).hasSize(RuleCatalog.all().size() - 1);
  }

  @Test
  void theExampleInTheDocumentationLoads() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "rules.md"));
    int from = doc.indexOf("```yaml\n") + "```yaml\n".length();
    RuleSettings s = load(doc.substring(from, doc.indexOf("```", from)));
    Rule binFull = RuleCatalog.byCode("bin-full").orElseThrow();
    assertThat(
            s.params(binFull, subject(DeviceKind.BIN, "Market", "MKT/BIN/00001")).get("fill_pct"))
        .isEqualTo(75);
    assertThat(s.enabledRules()).extracting(Rule::code).doesNotContain("frame-counter-gaps");
  }

  @Test
  void theDefaultsEnableEveryRuleAtItsOwnSeverity() {
    RuleSettings s = RuleSettings.defaults();
    assertThat(s.enabledRules()).containsExactlyElementsOf(RuleCatalog.all());
    for (Rule r : RuleCatalog.all()) {
      assertThat(s.severity(r)).isEqualTo(r.defaultSeverity());
    }
  }

  @Test
  void anUnknownRuleIsNamed() {
    assertThatThrownBy(() -> load("bin-overflow:\n  fill_pct: 80\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KERBSIDE_ANALYTICS_RULES")
        .hasMessageContaining("unknown rule bin-overflow");
  }

  @Test
  void anUnknownParameterIsNamedWithItsEntry() {
    assertThatThrownBy(() -> load("bin-full:\n  fill_percent: 80\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bin-full")
        .hasMessageContaining("unknown parameter fill_percent");
    assertThatThrownBy(() -> load("ice-risk:\n  wards:\n    Market: { horizon_hours: 4 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ice-risk.wards.Market")
        .hasMessageContaining("horizon_hours");
    assertThatThrownBy(() -> load("bin-fire:\n  assets:\n    CAS/BIN/1: { temp: 50 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bin-fire.assets.CAS/BIN/1");
  }

  @Test
  void aKindTheRuleDoesNotApplyToOrANonNumberIsNamed() {
    assertThatThrownBy(() -> load("battery-low:\n  kinds:\n    streetlight: { battery_v: 3 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("battery-low.kinds: streetlight");
    assertThatThrownBy(() -> load("bin-full:\n  fill_pct: lots\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bin-full.fill_pct must be a number");
    assertThatThrownBy(() -> load("bin-full:\n  severity: urgent\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bin-full.severity");
  }
}
