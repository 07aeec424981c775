package io.kerbside.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.sim.PlannedCollections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanFilesTest {
  /** As {@code PlanFormats.csv} writes it. */
  private static final String CSV =
      "plan_id,council,date,round,stop,vehicle,route_order,eta,asset_ref,name,street,ward,"
          + "latitude,longitude,litres,predicted_fill_pct,reasons,status,emptied_at,emptied_by\n"
          + "7,default,2026-11-30,daily,1,rcv-1,1,2026-11-30T06:12:00Z,MAR/BIN/00001,"
          + "\"Bin, by the market\",Market Hill,Market,52.2053000,0.1218000,190.0,81.0,"
          + "predicted-fill,planned,,\n"
          + "7,default,2026-11-30,daily,2,,,,MAR/BIN/00002,,Market Hill,Market,52.2,0.12,240.0,,"
          + "schedule,unassigned,,\n";

  /** As {@code PlanFormats.geoJson} writes it (a route line, then the stops). */
  private static final String GEOJSON =
      "{\"type\":\"FeatureCollection\",\"properties\":{\"plan_id\":7,\"council\":\"default\","
          + "\"date\":\"2026-11-30\",\"round\":\"daily\"},\"features\":["
          + "{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
          + "[[0.12,52.2],[0.1218,52.2053],[0.12,52.2]]},\"properties\":{\"kind\":\"route\","
          + "\"vehicle\":\"rcv-1\",\"km\":1.2}},"
          + "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[0.1218,52.2053]},"
          + "\"properties\":{\"kind\":\"stop\",\"stop\":1,\"vehicle\":\"rcv-1\",\"order\":1,"
          + "\"eta\":\"2026-11-30T06:12:00Z\",\"asset_ref\":\"MAR/BIN/00001\",\"litres\":190.0}},"
          + "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[0.12,52.2]},"
          + "\"properties\":{\"kind\":\"stop\",\"stop\":2,\"vehicle\":null,\"order\":null,"
          + "\"eta\":null,\"asset_ref\":\"MAR/BIN/00002\",\"litres\":240.0}}]}";

  private static final List<PlanFile.Stop> STOPS =
      List.of(
          new PlanFile.Stop("MAR/BIN/00001", Instant.parse("2026-11-30T06:12:00Z")),
          new PlanFile.Stop("MAR/BIN/00002", null));

  @Test
  void readsTheStopsOfACsvPlan(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("plan-default-2026-11-30-daily.csv"), CSV);
    PlanFile plan = PlanFiles.read(file);
    assertThat(plan.council()).isEqualTo("default");
    assertThat(plan.date()).isEqualTo(LocalDate.of(2026, 11, 30));
    assertThat(plan.round()).isEqualTo("daily");
    assertThat(plan.stops()).isEqualTo(STOPS);
  }

  @Test
  void readsTheSameStopsFromTheGeoJsonPlan(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("plan-default-2026-11-30-daily.geojson"), GEOJSON);
    PlanFile plan = PlanFiles.read(file);
    assertThat(plan.council()).isEqualTo("default");
    assertThat(plan.stops()).isEqualTo(STOPS);
  }

  @Test
  void onlyStopsWithAnEtaAreCollections() {
    PlannedCollections planned = new PlannedCollections("default");
    planned.add(PlanFiles.csv("plan.csv", CSV));
    assertThat(planned.collections()).isEqualTo(1);
    assertThat(planned.nextAfter("MAR/BIN/00001", Instant.parse("2026-11-30T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-30T06:12:00Z"));
    assertThat(planned.nextAfter("MAR/BIN/00001", Instant.parse("2026-11-30T06:12:00Z"))).isNull();
    assertThat(planned.nextAfter("MAR/BIN/00002", Instant.parse("2026-11-30T00:00:00Z"))).isNull();
  }

  @Test
  void refusesAnotherCouncilsPlan(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(dir.resolve("theirs.csv"), CSV.replace(",default,", ",other-town,"));
    assertThatThrownBy(() -> PlannedCollections.read("default", List.of(file)))
        .isInstanceOf(PlanFileException.class)
        .hasMessage(
            file
                + ": a plan of council 'other-town', not of 'default'; refusing it (collections"
                + " come from the plans of one council)");
  }

  @Test
  void refusesAPlanOfBinsTheTownDoesNotHave() {
    PlannedCollections planned = new PlannedCollections("default");
    planned.add(PlanFiles.csv("plan.csv", CSV));
    assertThatThrownBy(() -> planned.checkAgainst(List.of("MAR/BIN/00001")))
        .isInstanceOf(PlanFileException.class)
        .hasMessageContaining("plan.csv: 1 bin(s) this town does not have, e.g. MAR/BIN/00002");
    planned.checkAgainst(List.of("MAR/BIN/00001", "MAR/BIN/00002"));
    assertThatThrownBy(() -> planned.add(PlanFiles.csv("next.csv", CSV.replace("00002", "00003"))))
        .isInstanceOf(PlanFileException.class)
        .hasMessageContaining("next.csv: 1 bin(s) this town does not have, e.g. MAR/BIN/00003");
  }

  @Test
  void refusesFilesThatAreNotPlansWithAMessageNamingTheFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nowhere.csv");
    assertThatThrownBy(() -> PlanFiles.read(missing))
        .isInstanceOf(PlanFileException.class)
        .hasMessageStartingWith(missing + ": cannot read the plan file");
    Path gpx = Files.writeString(dir.resolve("plan.gpx"), "<gpx/>");
    assertThatThrownBy(() -> PlanFiles.read(gpx))
        .hasMessage(
            gpx
                + ": a plan file must be the .csv or .geojson that kerbside plan collections writes");
    Path oldCsv =
        Files.writeString(dir.resolve("old.csv"), "plan_id,stop,eta,asset_ref\n1,1,,MAR/BIN/1\n");
    assertThatThrownBy(() -> PlanFiles.read(oldCsv))
        .hasMessage(
            oldCsv
                + ": no 'council' column: not a collection plan written by kerbside plan"
                + " collections");
    Path badEta =
        Files.writeString(dir.resolve("bad.csv"), CSV.replace("2026-11-30T06:12:00Z", "6am"));
    assertThatThrownBy(() -> PlanFiles.read(badEta))
        .hasMessage(badEta + ": line 2: eta '6am' is not an instant like 2026-11-30T07:42:00Z");
    Path notJson = Files.writeString(dir.resolve("plan.geojson"), "{\"type\":");
    assertThatThrownBy(() -> PlanFiles.read(notJson))
        .hasMessageStartingWith(notJson + ": not JSON");
    Path notPlan =
        Files.writeString(
            dir.resolve("town.geojson"), "{\"type\":\"FeatureCollection\",\"features\":[]}");
    assertThatThrownBy(() -> PlanFiles.read(notPlan))
        .hasMessageStartingWith(notPlan + ": not a collection plan");
  }
}
