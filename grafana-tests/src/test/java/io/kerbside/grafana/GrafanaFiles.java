package io.kerbside.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The files under {@code grafana/}: dashboards, provisioning and the Prometheus examples. */
final class GrafanaFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GrafanaFiles() {}

  /** The {@code grafana/} folder of this checkout. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("grafana/dashboards"))) {
        return dir.resolve("grafana");
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("grafana/dashboards not found above the working directory");
  }

  static List<Path> dashboardFiles() {
    return list(root().resolve("dashboards"), ".json");
  }

  static List<Path> provisioningFiles() {
    return list(root().resolve("provisioning"), ".yaml");
  }

  static List<Dashboard> dashboards() {
    return dashboardFiles().stream().map(GrafanaFiles::dashboard).toList();
  }

  static Dashboard dashboard(Path file) {
    try {
      return new Dashboard(file, JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  /** A YAML file as maps and lists (safe constructor: plain data only). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path file) {
    try (Reader r = Files.newBufferedReader(file)) {
      Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      if (!(o instanceof Map)) {
        throw new IllegalStateException(file + " is not a YAML mapping");
      }
      return (Map<String, Object>) o;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Data source uids provisioned by {@code provisioning/datasources/*.yaml}, with their types. */
  @SuppressWarnings("unchecked")
  static Map<String, String> dataSourceTypes() {
    Map<String, String> types = new java.util.LinkedHashMap<>();
    for (Path f : list(root().resolve("provisioning/datasources"), ".yaml")) {
      for (Map<String, Object> ds : (List<Map<String, Object>>) yaml(f).get("datasources")) {
        types.put((String) ds.get("uid"), (String) ds.get("type"));
      }
    }
    return types;
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One dashboard file. */
  record Dashboard(Path file, JsonNode json) {
    String uid() {
      return json.path("uid").asText();
    }

    String title() {
      return json.path("title").asText();
    }

    List<JsonNode> panels() {
      List<JsonNode> out = new ArrayList<>();
      collect(json.path("panels"), out);
      return out;
    }

    private static void collect(JsonNode panels, List<JsonNode> out) {
      for (JsonNode p : panels) {
        out.add(p);
        collect(p.path("panels"), out);
      }
    }

    List<TemplateVariable> variables() {
      List<TemplateVariable> vars = new ArrayList<>();
      for (JsonNode v : json.path("templating").path("list")) {
        vars.add(TemplateVariable.of(v));
      }
      return vars;
    }

    /** Every query of every panel, with its panel. */
    List<PanelQuery> queries() {
      List<PanelQuery> out = new ArrayList<>();
      for (JsonNode p : panels()) {
        for (JsonNode t : p.path("targets")) {
          JsonNode ds = t.has("datasource") ? t.path("datasource") : p.path("datasource");
          out.add(new PanelQuery(this, p, t, ds.path("uid").asText(), ds.path("type").asText()));
        }
      }
      return out;
    }
  }

  /** One target of one panel. */
  record PanelQuery(
      Dashboard dashboard, JsonNode panel, JsonNode target, String dataSourceUid, String type) {
    boolean isSql() {
      return type.equals("grafana-postgresql-datasource") || type.equals("postgres");
    }

    boolean isPromQl() {
      return type.equals("prometheus");
    }

    String text() {
      return isSql() ? target.path("rawSql").asText() : target.path("expr").asText();
    }

    String format() {
      return target.path("format").asText("time_series");
    }

    String panelType() {
      return panel.path("type").asText();
    }

    /** The panel's minimum interval, e.g. {@code 1h}; empty when it has none. */
    String minInterval() {
      return panel.path("interval").asText("");
    }

    String name() {
      return dashboard.uid()
          + " / "
          + panel.path("title").asText()
          + " / "
          + target.path("refId").asText();
    }
  }
}
