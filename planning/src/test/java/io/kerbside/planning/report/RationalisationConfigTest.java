package io.kerbside.planning.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RationalisationConfigTest {
  @Test
  void withoutSettingsItHasTheDocumentedDefaults() {
    RationalisationConfig c = RationalisationConfig.from(Settings.from(Map.of()));
    assertThat(c).isEqualTo(RationalisationConfig.defaults());
    assertThat(c.weeks()).isEqualTo(4);
    assertThat(c.zone()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(c.overflowPct()).isEqualTo(100);
    assertThat(c.upsizeOverflowHours()).isEqualTo(24);
    assertThat(c.underusedFillPct()).isEqualTo(50);
    assertThat(c.underusedRatePctPerDay()).isEqualTo(15);
  }

  @Test
  void readsEverySettingAndTakesTheAnalyticsZoneUnlessToldOtherwise() {
    RationalisationConfig c =
        RationalisationConfig.from(
            Settings.from(
                Map.of(
                    "KERBSIDE_RATIONALISATION_WEEKS", "8",
                    "KERBSIDE_ANALYTICS_TIME_ZONE", "Europe/Dublin",
                    "KERBSIDE_RATIONALISATION_EMPTYING_DROP_PCT", "25",
                    "KERBSIDE_RATIONALISATION_OVERFLOW_PCT", "95",
                    "KERBSIDE_RATIONALISATION_UPSIZE_OVERFLOW_H", "12.5",
                    "KERBSIDE_RATIONALISATION_UNDERUSED_FILL_PCT", "40",
                    "KERBSIDE_RATIONALISATION_UNDERUSED_RATE_PCT_PER_DAY", "10",
                    "KERBSIDE_RATIONALISATION_MAX_GAP_H", "3",
                    "KERBSIDE_RATIONALISATION_MIN_OBSERVED_H", "48")));
    assertThat(c)
        .isEqualTo(
            new RationalisationConfig(8, ZoneId.of("Europe/Dublin"), 25, 95, 12.5, 40, 10, 3, 48));
    assertThat(
            RationalisationConfig.from(
                    Settings.from(
                        Map.of(
                            "KERBSIDE_ANALYTICS_TIME_ZONE", "Europe/Dublin",
                            "KERBSIDE_RATIONALISATION_ZONE", "Europe/Paris")))
                .zone())
        .isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  void aWrongSettingStopsWithItsName() {
    assertThatThrownBy(
            () ->
                RationalisationConfig.from(
                    Settings.from(Map.of("KERBSIDE_RATIONALISATION_WEEKS", "53"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("KERBSIDE_RATIONALISATION_WEEKS must be between 1 and 52, got 53");
    assertThatThrownBy(
            () ->
                RationalisationConfig.from(
                    Settings.from(Map.of("KERBSIDE_RATIONALISATION_OVERFLOW_PCT", "40"))))
        .hasMessage("KERBSIDE_RATIONALISATION_OVERFLOW_PCT must be between 50 and 200, got 40");
    assertThatThrownBy(
            () ->
                RationalisationConfig.from(
                    Settings.from(Map.of("KERBSIDE_RATIONALISATION_MAX_GAP_H", "NaN"))))
        .hasMessage("KERBSIDE_RATIONALISATION_MAX_GAP_H must be between 0.25 and 168, got NaN");
    assertThatThrownBy(
            () ->
                RationalisationConfig.from(
                    Settings.from(Map.of("KERBSIDE_RATIONALISATION_ZONE", "Mars/Olympus"))))
        .hasMessage(
            "KERBSIDE_RATIONALISATION_ZONE must be a time zone such as Europe/London, got"
                + " 'Mars/Olympus'");
  }
}
