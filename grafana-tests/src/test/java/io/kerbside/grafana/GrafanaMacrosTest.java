package io.kerbside.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.grafana.GrafanaMacros.Dialect;
import io.kerbside.grafana.GrafanaMacros.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrafanaMacrosTest {
  private static final TimeRange SIX_HOURS =
      new TimeRange(Instant.parse("2026-11-27T00:00:00Z"), Instant.parse("2026-11-27T06:00:00Z"));

  private static TemplateVariable variable(
      String name, boolean multi, boolean all, String allValue) {
    return new TemplateVariable(name, "query", "", "kerbside-db", multi, all, allValue, List.of());
  }

  @Test
  void expandsTimeFiltersLikeThePostgresDataSource() {
    GrafanaMacros m = new GrafanaMacros(SIX_HOURS, true);
    assertThat(m.sql("WHERE $__timeFilter(r.ts)", ""))
        .isEqualTo("WHERE r.ts BETWEEN '2026-11-27T00:00:00Z' AND '2026-11-27T06:00:00Z'");
    assertThat(m.sql("$__timeFrom() $__timeTo()", ""))
        .isEqualTo("'2026-11-27T00:00:00Z' '2026-11-27T06:00:00Z'");
    assertThat(m.sql("$__unixEpochFilter(t) $__unixEpochFrom()", ""))
        .isEqualTo("t >= 1795737600 AND t <= 1795759200 1795737600");
    assertThat(GrafanaMacros.rfc3339(Instant.parse("2026-11-27T00:00:00.120Z")))
        .isEqualTo("2026-11-27T00:00:00.12Z");
  }

  @Test
  void groupsTimeWithTimeBucketOnlyWhenTheTimescaleOptionIsOn() {
    String q = "SELECT $__timeGroupAlias(ts, $__interval), $__timeGroup(ts, '1d', 0)";
    assertThat(new GrafanaMacros(SIX_HOURS, true).sql(q, "1h"))
        .isEqualTo("SELECT time_bucket('3600s',ts) AS \"time\", time_bucket('86400s',ts)");
    assertThat(new GrafanaMacros(SIX_HOURS, false).sql(q, "1h"))
        .isEqualTo(
            "SELECT floor(extract(epoch from ts)/3600)*3600 AS \"time\","
                + " floor(extract(epoch from ts)/86400)*86400");
  }

  @Test
  void computesTheIntervalFromTheRangeAndThePanelMinimum() {
    assertThat(GrafanaMacros.interval(Duration.ofHours(6), "")).isEqualTo(Duration.ofSeconds(30));
    assertThat(GrafanaMacros.interval(Duration.ofHours(6), "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(GrafanaMacros.interval(Duration.ofDays(30), "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(GrafanaMacros.interval(Duration.ofDays(365), "1h")).isEqualTo(Duration.ofHours(12));
    assertThat(new GrafanaMacros(SIX_HOURS, true).sql("$__interval $__interval_ms", ""))
        .isEqualTo("30s 30000");
    assertThat(GrafanaMacros.goFloat(3600)).isEqualTo("3600");
    assertThat(GrafanaMacros.goFloat(0.5)).isEqualTo("0.5");
    assertThat(GrafanaMacros.goFloat(1_209_600)).isEqualTo("1.2096e+06");
  }

  @Test
  void quotesTemplateVariablesAsTheSqlDataSourceDoes() {
    TemplateVariable council = variable("council", false, false, null);
    TemplateVariable ward = variable("ward", true, true, "'__all'");
    TemplateVariable kind = variable("kind", true, true, null);
    GrafanaMacros m =
        new GrafanaMacros(SIX_HOURS, true)
            .select(council, List.of("1"), List.of("1", "2"))
            .select(ward, List.of("Market", "St Giles'"), List.of("Market", "St Giles'"))
            .select(kind, List.of(GrafanaMacros.ALL), List.of("bin", "streetlight"));
    assertThat(
            m.interpolate("c = $council AND w IN (${ward}) AND k IN ([[kind]])", Dialect.SQL, ""))
        .isEqualTo("c = 1 AND w IN ('Market','St Giles''') AND k IN ('bin','streetlight')");
    m.select(ward, List.of(GrafanaMacros.ALL), List.of("Market"));
    assertThat(m.interpolate("('__all' IN ($ward) OR w IN ($ward))", Dialect.SQL, ""))
        .isEqualTo("('__all' IN ('__all') OR w IN ('__all'))");
    assertThat(m.interpolate("$__timeFilter(ts) $unknown", Dialect.SQL, ""))
        .isEqualTo("$__timeFilter(ts) $unknown");
  }

  @Test
  void formatsPrometheusVariablesAsRegexAlternatives() {
    TemplateVariable instance = variable("instance", true, true, ".*");
    GrafanaMacros m =
        new GrafanaMacros(SIX_HOURS, true)
            .select(instance, List.of("a:1", "b.x:2"), List.of("a:1", "b.x:2"));
    assertThat(
            m.promQl("up{instance=~\"$instance\"}[$__rate_interval]", "", Duration.ofSeconds(15)))
        .isEqualTo("up{instance=~\"(a:1|b\\\\.x:2)\"}[1m]");
    m.select(instance, List.of(GrafanaMacros.ALL), List.of("a:1"));
    assertThat(m.promQl("up{instance=~\"$instance\"}", "", Duration.ofSeconds(15)))
        .isEqualTo("up{instance=~\".*\"}");
  }

  @Test
  void rejectsUnknownMacrosAsGrafanaDoes() {
    assertThatThrownBy(() -> new GrafanaMacros(SIX_HOURS, true).sql("$__timeFliter(ts)", ""))
        .hasMessageContaining("unknown macro");
  }
}
