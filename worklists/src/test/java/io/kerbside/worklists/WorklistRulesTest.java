package io.kerbside.worklists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import io.kerbside.worklists.csv.WorklistCsv;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorklistRulesTest {
  private static final WorklistsConfig DEFAULTS = WorklistsConfig.defaults();

  @Test
  void aSurfaceFallingTwoDegreesAnHourFromThreeReachesOneDegreeInAnHour() {
    assertThat(FreezingForecast.hoursToFreezing(3.0, -2.0, 5, 1.0)).isEqualTo(1.0);
    assertThat(FreezingForecast.hoursToFreezing(0.5, 1.0, 5, 1.0)).isZero();
    assertThat(FreezingForecast.hoursToFreezing(3.0, 0.5, 5, 1.0)).isInfinite();
    assertThat(FreezingForecast.hoursToFreezing(3.0, -2.0, 2, 1.0))
        .as("too few readings for a trend")
        .isInfinite();
    assertThat(FreezingForecast.hoursToFreezing(null, -2.0, 5, 1.0)).isInfinite();
  }

  @Test
  void footwaysOnBusyStreetsComeFirstAndCarriagewaysLast() {
    assertThat(Footfall.of("footway", "high-street")).isEqualTo(Footfall.HIGH);
    assertThat(Footfall.of("footway", "main-road")).isEqualTo(Footfall.MEDIUM);
    assertThat(Footfall.of("footway", "residential")).isEqualTo(Footfall.NORMAL);
    assertThat(Footfall.of("carriageway", "high-street")).isEqualTo(Footfall.LOW);
    assertThat(Footfall.of(null, null)).isEqualTo(Footfall.UNKNOWN);
    assertThat(Footfall.HIGH).isLessThan(Footfall.LOW);
  }

  @Test
  void tripHazardsAreMadeSafeFromFortyMillimetresAndRepairedBelow() {
    assertThat(FootwayCategory.of("trip-hazard", 45.0, DEFAULTS))
        .isEqualTo(FootwayCategory.MAKE_SAFE);
    assertThat(FootwayCategory.of("trip-hazard", 40.0, DEFAULTS))
        .isEqualTo(FootwayCategory.MAKE_SAFE);
    assertThat(FootwayCategory.of("trip-hazard", 25.0, DEFAULTS)).isEqualTo(FootwayCategory.REPAIR);
    assertThat(FootwayCategory.of("pavement-roughness", 1.2, DEFAULTS))
        .isEqualTo(FootwayCategory.ROUGHNESS);
    assertThat(FootwayCategory.MAKE_SAFE.responseHours(DEFAULTS)).isEqualTo(24);
    assertThat(FootwayCategory.REPAIR.responseHours(DEFAULTS)).isEqualTo(28 * 24);
  }

  @Test
  void badSettingsAreNamedInTheError() {
    assertThatThrownBy(() -> config(WorklistsConfig.ZONE, "Mars/Olympus"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(WorklistsConfig.ZONE);
    assertThatThrownBy(() -> config(WorklistsConfig.TILE_URL, "ftp://tiles/{z}/{x}/{y}"))
        .hasMessageContaining(WorklistsConfig.TILE_URL);
    assertThatThrownBy(() -> config(WorklistsConfig.LINK_SECRET, "short"))
        .hasMessageContaining(WorklistsConfig.LINK_SECRET);
    assertThatThrownBy(() -> config(WorklistsConfig.REPAIR_MM, "50"))
        .hasMessageContaining(WorklistsConfig.REPAIR_MM);
    assertThatThrownBy(() -> config(WorklistsConfig.GRITTING_HORIZON_H, "0"))
        .hasMessageContaining(WorklistsConfig.GRITTING_HORIZON_H);
    assertThatThrownBy(() -> config(WorklistsConfig.FREEZING_C, "cold"))
        .hasMessageContaining(WorklistsConfig.FREEZING_C);
    assertThat(
            config(WorklistsConfig.TILE_URL, "https://tiles.example.org/{z}/{x}/{y}.png")
                .crewTileUrl())
        .endsWith(".png");
    assertThat(config(WorklistsConfig.LINK_SECRET, "x".repeat(40)).toString())
        .doesNotContain("x".repeat(40));
  }

  @Test
  void csvQuotesCommasAndDefusesFormulas() {
    Place p = new Place(7, "L/1", "=HYPERLINK(\"x\")", "High Street, North", "Castle", 52.2, 0.12);
    AlertItem a =
        new AlertItem(
            3,
            "lamp-failure",
            "critical",
            "open",
            "out",
            null,
            null,
            Instant.parse("2026-01-15T18:00:00Z"),
            null,
            null,
            p);
    String csv =
        WorklistCsv.lamps(List.of(new StreetLamps("High Street, North", "Castle", List.of(a))));
    assertThat(csv.lines().toList()).hasSize(2);
    assertThat(csv)
        .contains("\"High Street, North\"")
        .contains("\"'=HYPERLINK(\"\"x\"\")\"")
        .contains("geo:52.200000,0.120000")
        .contains("\r\n");
  }

  private static WorklistsConfig config(String key, String value) {
    return WorklistsConfig.from(Settings.from(Map.of(key, value)));
  }
}
