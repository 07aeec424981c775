package io.kerbside.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.DeviceKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCatalogTest {
  static final List<String> UNITS =
      List.of(
          "_pct",
          "_h",
          "_min",
          "_s",
          "_d",
          "_c",
          "_deg",
          "_v",
          "_w",
          "_mm",
          "_g",
          "_readings",
          "_points",
          "_transitions",
          "_frames",
          "_intervals",
          "_factor");

  @Test
  void shipsEveryRuleOfTheIssue() {
    assertThat(RuleCatalog.all())
        .extracting(Rule::code)
        .containsExactly(
            "bin-full",
            "bin-predicted-full",
            "bin-fire",
            "bin-knocked-over",
            "bin-not-collected",
            "lamp-failure",
            "day-burner",
            "lamp-cycling",
            "lamp-power-band",
            "ice-risk",
            "pavement-roughness",
            "trip-hazard",
            "device-offline",
            "battery-low",
            "stuck-sensor",
            "out-of-range-values",
            "frame-counter-gaps");
  }

  @Test
  void everyRuleDescribesItselfAndNamesItsParametersWithUnits() {
    for (Rule r : RuleCatalog.all()) {
      assertThat(r.description()).as(r.code()).isNotBlank();
      assertThat(r.kinds()).as(r.code()).isNotEmpty();
      assertThat(r.triggers()).as(r.code()).isNotEmpty();
      assertThat(r.lookback(r.defaults()).isNegative()).as(r.code()).isFalse();
      assertThat(RuleCatalog.byCode(r.code())).containsSame(r);
      for (String name : r.defaults().names()) {
        assertThat(UNITS.stream().anyMatch(name::endsWith))
            .as(r.code() + "." + name + " ends in its unit")
            .isTrue();
      }
    }
  }

  @Test
  void deviceHealthRulesAreAboutTheDevice() {
    for (String code :
        List.of(
            "device-offline",
            "battery-low",
            "stuck-sensor",
            "out-of-range-values",
            "frame-counter-gaps")) {
      Rule r = RuleCatalog.byCode(code).orElseThrow();
      assertThat(r.scope()).as(code).isEqualTo(Scope.DEVICE);
    }
    assertThat(RuleCatalog.byCode("device-offline").orElseThrow().kinds())
        .containsExactlyInAnyOrder(DeviceKind.values());
    assertThat(RuleCatalog.byCode("device-offline").orElseThrow().triggers())
        .contains(Trigger.SCHEDULE);
  }
}
