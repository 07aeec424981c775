package io.kerbside.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A dashboard template variable as Grafana's dashboard model holds it.
 *
 * @param allValue the custom value that stands for "All", inserted as it is; null when "All" means
 *     every option
 */
record TemplateVariable(
    String name,
    String type,
    String query,
    String dataSourceUid,
    boolean multi,
    boolean includeAll,
    String allValue,
    List<String> customOptions) {

  static TemplateVariable of(JsonNode v) {
    JsonNode q = v.path("query");
    String query = q.isObject() ? q.path("query").asText() : q.asText();
    List<String> custom = new ArrayList<>();
    if (v.path("type").asText().equals("custom")) {
      for (String s : query.split(",")) {
        custom.add(s.trim());
      }
    }
    return new TemplateVariable(
        v.path("name").asText(),
        v.path("type").asText(),
        query,
        v.path("datasource").path("uid").asText(null),
        v.path("multi").asBoolean(false),
        v.path("includeAll").asBoolean(false),
        v.hasNonNull("allValue") && !v.path("allValue").asText().isEmpty()
            ? v.path("allValue").asText()
            : null,
        List.copyOf(custom));
  }

  /** True when the value may be several options, so Grafana quotes each one. */
  boolean quoted() {
    return multi || includeAll;
  }
}
