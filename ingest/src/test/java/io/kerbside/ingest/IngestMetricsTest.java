package io.kerbside.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.DeviceKind;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.store.SequenceTallies;
import io.kerbside.ingest.store.SequenceTally;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final IngestMetrics metrics = new IngestMetrics(registry);

  private double count(String name, PayloadFormat format, DeviceKind kind) {
    return registry
        .get(name)
        .tag("format", format.code())
        .tag("kind", kind.code())
        .counter()
        .count();
  }

  @Test
  void sequenceMetersAreTaggedByFormatAndKindOnlyAndExistBeforeTheFirstGap() {
    for (String name :
        Set.of(
            "kerbside.ingest.sequence.lost",
            "kerbside.ingest.sequence.recovered",
            "kerbside.ingest.sequence.resets")) {
      var meters = registry.find(name).meters();
      assertThat(meters).hasSize(3 * DeviceKind.values().length);
      for (Meter m : meters) {
        assertThat(m.getId().getTags().stream().map(t -> t.getKey()).collect(Collectors.toSet()))
            .containsExactlyInAnyOrder("format", "kind");
        assertThat(m.getId().getTag("format")).isNotEqualTo("senml");
        assertThat(m.getId().getDescription()).isNotBlank();
      }
    }
  }

  @Test
  void countsWhatABatchTallied() {
    SequenceTally tally = SequenceTallies.of(PayloadFormat.TTN, DeviceKind.BIN, 5, 2, 1);
    metrics.sequences(tally);
    metrics.sequences(tally);
    assertThat(count("kerbside.ingest.sequence.lost", PayloadFormat.TTN, DeviceKind.BIN))
        .isEqualTo(10);
    assertThat(count("kerbside.ingest.sequence.recovered", PayloadFormat.TTN, DeviceKind.BIN))
        .isEqualTo(4);
    assertThat(count("kerbside.ingest.sequence.resets", PayloadFormat.TTN, DeviceKind.BIN))
        .isEqualTo(2);
    assertThat(count("kerbside.ingest.sequence.lost", PayloadFormat.NATIVE, DeviceKind.BIN))
        .isZero();
  }
}
