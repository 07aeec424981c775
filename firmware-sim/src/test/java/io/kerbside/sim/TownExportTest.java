package io.kerbside.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kerbside.sim.town.Town;
import io.kerbside.sim.town.TownGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TownExportTest {
  private final Town town = TownGenerator.generate(100, TownCentre.DEFAULT, 42);

  @Test
  void writesOneCsvRowPerAssetWithTheAttributesOfItsKind(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("town.csv");
    TownExport.write(town, file);
    List<String> lines = Files.readAllLines(file);

    assertThat(lines).hasSize(101);
    assertThat(lines.get(0)).isEqualTo(String.join(",", TownExport.COLUMNS));
    String[] bin = lines.get(1).split(",", -1);
    assertThat(bin).hasSize(TownExport.COLUMNS.size());
    assertThat(bin[0]).isEqualTo("bin-00001");
    assertThat(bin[1]).isEqualTo("bin");
    assertThat(bin[8]).isEqualTo("900");
    assertThat(bin[9]).isNotEmpty();
    assertThat(bin[13]).isEmpty();
    String light =
        lines.stream().filter(l -> l.startsWith("light-00001,")).findFirst().orElseThrow();
    assertThat(light.split(",", -1)[8]).isEqualTo("600");
    assertThat(light.split(",", -1)[13]).isIn("led", "son", "cmh");
    assertThat(Double.parseDouble(bin[3])).isBetween(52.1, 52.3);
  }

  @Test
  void writesAGeoJsonFeatureCollectionOfPoints(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("town.geojson");
    TownExport.write(town, file);

    List<String> ids = new ArrayList<>();
    List<double[]> coordinates = new ArrayList<>();
    try (JsonParser p =
        new JsonFactory().createParser(Files.readString(file, StandardCharsets.UTF_8))) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME
            && p.getParsingContext().getParent() != null
            && p.getParsingContext().getParent().inArray()
            && p.currentName().equals("id")) {
          p.nextToken();
          ids.add(p.getText());
        }
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("coordinates")) {
          p.nextToken();
          p.nextToken();
          double lon = p.getDoubleValue();
          p.nextToken();
          coordinates.add(new double[] {lon, p.getDoubleValue()});
        }
      }
    }
    assertThat(ids).hasSize(100).startsWith("bin-00001");
    assertThat(coordinates)
        .allSatisfy(
            c -> {
              assertThat(c[0]).as("longitude first").isBetween(0.0, 0.3);
              assertThat(c[1]).isBetween(52.1, 52.3);
            });
  }

  @Test
  void refusesAnotherExtension(@TempDir Path dir) {
    assertThatThrownBy(() -> TownExport.write(town, dir.resolve("town.xlsx")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".csv or .geojson");
  }
}
