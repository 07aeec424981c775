package io.kerbside.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ApiMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ApiMetrics metrics = new ApiMetrics(registry);

  @Test
  void tagsByStatusClassAndAFixedSetOfMethods() {
    metrics.timer("/api/v1/assets", "GET", 200).record(java.time.Duration.ofMillis(3));
    metrics.timer("/api/v1/assets", "GET", 204).record(java.time.Duration.ofMillis(3));
    metrics.timer("/api/v1/assets", "BREW", 501).record(java.time.Duration.ofMillis(3));

    assertThat(
            registry
                .get("kerbside.api.requests")
                .tags("route", "/api/v1/assets", "method", "GET", "status", "2xx")
                .timer()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("kerbside.api.requests")
                .tags("method", "OTHER", "status", "5xx")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(registry.find("kerbside.api.requests").timers()).hasSize(2);
  }

  @Test
  void statusClasses() {
    assertThat(ApiMetrics.statusClass(200)).isEqualTo("2xx");
    assertThat(ApiMetrics.statusClass(404)).isEqualTo("4xx");
    assertThat(ApiMetrics.statusClass(599)).isEqualTo("5xx");
    assertThat(ApiMetrics.statusClass(0)).isEqualTo("other");
  }
}
