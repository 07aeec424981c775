package io.kerbside.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kerbside.core.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void readsNumbersWithAndWithoutUnits() {
    assertThat(Units.parse("2000 mm")).hasValue(new Units.Quantity(2000, "mm"));
    assertThat(Units.parse("25 ℃")).hasValue(new Units.Quantity(25, "℃"));
    assertThat(Units.parse("-3.5°C")).hasValue(new Units.Quantity(-3.5, "°C"));
    assertThat(Units.parse("0.00")).hasValue(new Units.Quantity(0, ""));
    assertThat(Units.parse("No Sensor")).isEmpty();
    assertThat(Units.parse("12 mm extra")).isEmpty();
  }

  @Test
  void convertsToTheUnitInTheMetricsName() {
    assertThat(Units.convert(77, "°F", Metric.TEMP_C).getAsDouble()).isCloseTo(25, within(1e-9));
    assertThat(Units.convert(0.5, "/", Metric.DIM_PCT).getAsDouble()).isEqualTo(50);
    assertThat(Units.convert(3600, "J", Metric.ENERGY_WH).getAsDouble()).isEqualTo(1);
    assertThat(Units.convert(3610, "mV", Metric.BATTERY_V).getAsDouble())
        .isCloseTo(3.61, within(1e-9));
    assertThat(Units.convert(1, "V", Metric.DISTANCE_MM)).isEmpty();
    assertThat(Units.convert(1, "furlong", Metric.DISTANCE_MM)).isEmpty();
  }

  @Test
  void theDocumentedTableListsEverySymbolAndNoOther() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "formats.md"));
    int from = doc.indexOf("\n## Unit symbols");
    int next = doc.indexOf("\n## ", from + 1);
    String table = doc.substring(from, next < 0 ? doc.length() : next);
    Set<String> documented = new HashSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(table);
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(Units.symbols());
  }
}
