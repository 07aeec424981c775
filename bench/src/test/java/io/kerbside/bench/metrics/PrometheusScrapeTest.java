package io.kerbside.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {
  private static final String TEXT =
      """
      # HELP kerbside_ingest_readings_total Readings by outcome of the database write
      # TYPE kerbside_ingest_readings_total counter
      kerbside_ingest_readings_total{outcome="duplicate",} 3.0
      kerbside_ingest_readings_total{outcome="stored",} 1000042.0
      jvm_memory_used_bytes{area="heap",id="Eden Space",} 1.2E7
      jvm_memory_used_bytes{area="heap",id="Tenured Gen",} 3.0E7
      jvm_memory_used_bytes{area="nonheap",id="Metaspace",} 5.0E7
      kerbside_ingest_reading_age_seconds_bucket{le="0.001",} 0.0
      kerbside_ingest_reading_age_seconds_bucket{le="0.1",} 90.0
      kerbside_ingest_reading_age_seconds_bucket{le="+Inf",} 100.0
      kerbside_ingest_inflight 12.0 1764212345123
      odd_label{path="a \\"quoted\\" \\\\ value"} 1
      """;

  @Test
  void sumsSamplesByNameAndLabels() {
    PrometheusScrape scrape = PrometheusScrape.parse(TEXT);

    assertThat(scrape.sum("kerbside_ingest_readings_total", "outcome", "stored"))
        .isEqualTo(1_000_042.0);
    assertThat(scrape.sum("kerbside_ingest_readings_total")).isEqualTo(1_000_045.0);
    assertThat(scrape.sum("jvm_memory_used_bytes", "area", "heap")).isCloseTo(4.2e7, within(1.0));
    assertThat(scrape.sum("kerbside_ingest_inflight")).isEqualTo(12.0);
    assertThat(scrape.sum("no_such_metric")).isZero();
  }

  @Test
  void readsHistogramBucketsByUpperBound() {
    PrometheusScrape scrape = PrometheusScrape.parse(TEXT);

    assertThat(scrape.buckets("kerbside_ingest_reading_age_seconds"))
        .containsEntry(0.001, 0.0)
        .containsEntry(0.1, 90.0)
        .containsEntry(Double.POSITIVE_INFINITY, 100.0)
        .hasSize(3);
  }

  @Test
  void unescapesLabelValues() {
    PrometheusScrape scrape = PrometheusScrape.parse(TEXT);

    assertThat(scrape.sum("odd_label", "path", "a \"quoted\" \\ value")).isEqualTo(1.0);
  }

  @Test
  void namesTheLineItCannotRead() {
    assertThatThrownBy(() -> PrometheusScrape.parse("broken{le=\"1\" 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken");
  }
}
