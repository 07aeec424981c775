package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AlertSweepStartsTest {
  @Test
  void coversEveryMonthFourTimesAndEveryHourOfTheDay() {
    List<Instant> starts = AlertSweepStarts.instants();

    assertThat(starts).hasSize(48).doesNotHaveDuplicates().isSorted();
    Map<Integer, Long> perMonth =
        starts.stream()
            .collect(
                Collectors.groupingBy(
                    t -> t.atZone(ZoneOffset.UTC).getMonthValue(), Collectors.counting()));
    assertThat(perMonth).hasSize(12).allSatisfy((m, n) -> assertThat(n).isEqualTo(4));
    assertThat(starts.stream().map(t -> t.atZone(ZoneOffset.UTC).getHour()).distinct()).hasSize(24);
  }

  @Test
  void liesWhollyInThePastOfAnyRun() {
    assertThat(AlertSweepStarts.instants())
        .allMatch(t -> t.isBefore(Instant.parse("2026-01-01T00:00:00Z")));
  }
}
