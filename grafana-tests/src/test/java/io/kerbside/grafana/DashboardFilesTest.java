package io.kerbside.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kerbside.grafana.GrafanaFiles.Dashboard;
import io.kerbside.grafana.GrafanaFiles.PanelQuery;
import io.kerbside.grafana.GrafanaMacros.TimeRange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The files under grafana/ are well-formed and consistent with each other. */
class DashboardFilesTest {
  private static final Pattern VARIABLE_USE =
      Pattern.compile("\\$(\\w+)|\\[\\[(\\w+)(?::\\w+)?\\]\\]|\\$\\{(\\w+)(?::[^}]+)?\\}");
  private static final Pattern ENV =
      Pattern.compile("^(\\$\\{[A-Z0-9_]+\\}|\\$__env\\{[A-Z0-9_]+\\})$");
  private static final Set<String> BUILT_INS =
      Set.of(
          "__interval", "__interval_ms", "__rate_interval", "__range", "__range_s", "__range_ms");
  private static final Set<String> SPECIAL_DATA_SOURCES = Set.of("-- Mixed --", "-- Grafana --");

  @Test
  void everyDashboardParsesWithAUniqueStableUid() {
    List<Dashboard> dashboards = GrafanaFiles.dashboards();
    assertThat(dashboards)
        .extracting(Dashboard::uid)
        .containsExactlyInAnyOrder(
            "kerbside-overview",
            "kerbside-bins",
            "kerbside-streetlights",
            "kerbside-pavements",
            "kerbside-alerts",
            "kerbside-ingest")
        .doesNotHaveDuplicates()
        .allMatch(uid -> uid.matches("[a-z0-9-]{1,40}"));
    assertThat(dashboards).extracting(Dashboard::title).doesNotHaveDuplicates();
    for (Dashboard d : dashboards) {
      assertThat(d.json().path("tags").toString()).as(d.uid()).contains("\"kerbside\"");
      assertThat(d.json().path("editable").asBoolean(true)).as(d.uid()).isFalse();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode p : d.panels()) {
        assertThat(ids.add(p.path("id").asInt()))
            .as(d.uid() + " panel id " + p.path("id"))
            .isTrue();
        assertThat(p.path("title").asText()).as(d.uid() + " panel title").isNotBlank();
        assertThat(p.path("gridPos").path("w").asInt())
            .as(p.path("title").asText())
            .isBetween(1, 24);
        assertThat(p.path("targets").size()).as(p.path("title").asText()).isPositive();
      }
    }
  }

  @Test
  void provisioningParsesAndKeepsEveryCredentialInTheEnvironment() {
    List<Path> files = GrafanaFiles.provisioningFiles();
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("kerbside.yaml");
    for (Path f : files) {
      Map<String, Object> yaml = GrafanaFiles.yaml(f);
      assertThat(yaml.get("apiVersion")).as(f.toString()).isEqualTo(1);
    }
    Map<String, String> types = GrafanaFiles.dataSourceTypes();
    assertThat(types)
        .containsEntry("kerbside-db", "grafana-postgresql-datasource")
        .containsEntry("kerbside-prometheus", "prometheus");
    Map<String, Object> ds =
        GrafanaFiles.yaml(GrafanaFiles.root().resolve("provisioning/datasources/kerbside.yaml"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list = (List<Map<String, Object>>) ds.get("datasources");
    for (Map<String, Object> d : list) {
      assertThat((String) d.get("url")).as("url of " + d.get("uid")).matches(ENV);
      if (d.containsKey("user")) {
        assertThat((String) d.get("user")).matches(ENV);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> secure = (Map<String, Object>) d.getOrDefault("secureJsonData", Map.of());
      secure
          .values()
          .forEach(v -> assertThat((String) v).as("secret of " + d.get("uid")).matches(ENV));
      if ("kerbside-db".equals(d.get("uid"))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) d.get("jsonData");
        assertThat(json).containsEntry("timescaledb", true);
        assertThat((String) json.get("database")).matches(ENV);
      }
    }
    Map<String, Object> providers =
        GrafanaFiles.yaml(GrafanaFiles.root().resolve("provisioning/dashboards/kerbside.yaml"));
    @SuppressWarnings("unchecked")
    Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).get(0);
    assertThat(provider).containsEntry("type", "file");
    @SuppressWarnings("unchecked")
    Map<String, Object> options = (Map<String, Object>) provider.get("options");
    assertThat((String) options.get("path")).matches(ENV);
  }

  @Test
  void everyPanelAndVariableUsesAProvisionedDataSourceOfItsType() {
    Map<String, String> types = GrafanaFiles.dataSourceTypes();
    for (Dashboard d : GrafanaFiles.dashboards()) {
      for (JsonNode p : d.panels()) {
        String uid = p.path("datasource").path("uid").asText();
        assertThat(SPECIAL_DATA_SOURCES.contains(uid) || types.containsKey(uid))
            .as(d.uid() + " / " + p.path("title").asText() + " data source " + uid)
            .isTrue();
      }
      for (PanelQuery q : d.queries()) {
        assertThat(types).as(q.name()).containsEntry(q.dataSourceUid(), q.type());
        assertThat(q.text()).as(q.name()).isNotBlank();
      }
      for (TemplateVariable v : d.variables()) {
        if (v.type().equals("query")) {
          assertThat(types).as(d.uid() + " $" + v.name()).containsKey(v.dataSourceUid());
        }
      }
    }
  }

  @Test
  void everyVariableAQueryUsesIsDefinedBeforeItIsNeeded() {
    for (Dashboard d : GrafanaFiles.dashboards()) {
      List<String> defined = new ArrayList<>();
      for (TemplateVariable v : d.variables()) {
        assertThat(used(v.query()))
            .as(d.uid() + " $" + v.name() + " may only use variables defined above it")
            .allMatch(n -> defined.contains(n) || BUILT_INS.contains(n));
        defined.add(v.name());
      }
      for (PanelQuery q : d.queries()) {
        assertThat(used(q.text()))
            .as(q.name())
            .allMatch(n -> defined.contains(n) || BUILT_INS.contains(n));
      }
    }
  }

  @Test
  void everySqlQueryExpandsToPlainSql() {
    TimeRange range = new TimeRange(Instant.now().minusSeconds(86_400), Instant.now());
    for (Dashboard d : GrafanaFiles.dashboards()) {
      GrafanaMacros macros = new GrafanaMacros(range, true);
      for (TemplateVariable v : d.variables()) {
        macros.select(v, List.of(GrafanaMacros.ALL), List.of("1", "x"));
      }
      for (PanelQuery q : d.queries()) {
        if (q.isSql()) {
          String sql = macros.sql(q.text(), q.minInterval());
          assertThat(sql).as(q.name()).doesNotContain("$").doesNotContain("[[");
          assertThat(q.format()).as(q.name()).isIn("table", "time_series");
          if (q.format().equals("time_series")) {
            assertThat(sql).as(q.name()).contains("AS \"time\"");
          }
        }
      }
    }
  }

  /**
   * A map layer draws the first frame it is given, so a map with several queries gives each layer
   * its own (a {@code byRefId} filter naming one of the panel's queries) and uses every query; a
   * layer that reads coordinates names fields its query returns.
   */
  @Test
  void everyMapLayerDrawsAQueryOfItsPanel() {
    int layersChecked = 0;
    for (Dashboard d : GrafanaFiles.dashboards()) {
      for (JsonNode p : d.panels()) {
        if (!p.path("type").asText().equals("geomap")) {
          continue;
        }
        String name = d.uid() + " / " + p.path("title").asText();
        List<String> refIds = new ArrayList<>();
        p.path("targets").forEach(t -> refIds.add(t.path("refId").asText()));
        List<String> drawn = new ArrayList<>();
        for (JsonNode layer : p.path("options").path("layers")) {
          layersChecked++;
          String layerName = name + " / " + layer.path("name").asText();
          JsonNode filter = layer.path("filterData");
          if (refIds.size() > 1) {
            assertThat(filter.path("id").asText()).as(layerName).isEqualTo("byRefId");
          }
          String refId = filter.isMissingNode() ? refIds.get(0) : filter.path("options").asText();
          assertThat(refIds).as(layerName).contains(refId);
          drawn.add(refId);
          JsonNode location = layer.path("location");
          if (location.path("mode").asText().equals("coords")) {
            String sql = p.path("targets").findValues("rawSql").get(refIds.indexOf(refId)).asText();
            assertThat(sql)
                .as(layerName + " reads the coordinates its query returns")
                .contains(location.path("latitude").asText(), location.path("longitude").asText());
          }
        }
        assertThat(drawn).as(name + ": every query drawn once").hasSameElementsAs(refIds);
        assertThat(drawn).as(name).doesNotHaveDuplicates();
      }
    }
    assertThat(layersChecked).isGreaterThan(10);
  }

  @Test
  void linksPointAtDashboardsThatExist() {
    Set<String> uids = new HashSet<>();
    GrafanaFiles.dashboards().forEach(d -> uids.add(d.uid()));
    Pattern link = Pattern.compile("/d/([a-z0-9-]+)");
    for (Dashboard d : GrafanaFiles.dashboards()) {
      assertThat(d.json().path("links").toString()).as(d.uid()).contains("\"tags\":[\"kerbside\"]");
      Matcher m = link.matcher(d.json().path("panels").toString());
      while (m.find()) {
        assertThat(uids).as(d.uid() + " links to " + m.group(1)).contains(m.group(1));
      }
    }
  }

  private static Set<String> used(String text) {
    Set<String> names = new HashSet<>();
    Matcher m = VARIABLE_USE.matcher(text);
    while (m.find()) {
      String n = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      if (n.startsWith("__") && !BUILT_INS.contains(n)) {
        continue; // a macro such as $__timeFilter(...), expanded by the data source
      }
      names.add(n);
    }
    return names;
  }
}
