package io.kerbside.planning.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.planning.PlanningConfig;
import io.kerbside.planning.Towns;
import io.kerbside.planning.select.SelectedBin;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutePlannerTest {
  private static final LocalDate DATE = LocalDate.parse("2026-11-30");

  @Test
  void everyBinIsOnExactlyOneRouteWithinCapacityAndTimeWindows() {
    PlanningConfig config = Towns.config(3, 5_000, "07:00", "15:00");
    List<SelectedBin> bins = Towns.selected(90, 7);
    RoutePlanner.Routes routes =
        new RoutePlanner(config, 1).plan(bins, config.round("daily").orElseThrow(), DATE);

    assertThat(routes.unassigned()).isEmpty();
    Set<Long> seen = new HashSet<>();
    Instant start = Instant.parse("2026-11-30T07:00:00Z");
    Instant end = Instant.parse("2026-11-30T15:00:00Z");
    for (RoutePlanner.Route r : routes.routes()) {
      double litres = r.stops().stream().mapToDouble(s -> s.bin().litres()).sum();
      assertThat(litres).as(r.vehicle().name()).isLessThanOrEqualTo(r.vehicle().capacityL());
      Instant previous = r.start();
      for (RoutePlanner.RoutedBin s : r.stops()) {
        assertThat(seen.add(s.bin().bin().assetPk())).as("bin on two routes").isTrue();
        assertThat(s.eta()).isBetween(start, end).isAfterOrEqualTo(previous);
        previous = s.eta();
      }
      if (!r.stops().isEmpty()) {
        assertThat(r.end()).isBeforeOrEqualTo(end);
        assertThat(r.km()).isPositive();
      }
    }
    assertThat(seen).hasSize(90);
  }

  @Test
  void binsNoVehicleCanTakeAreLeftUnassigned() {
    // one small vehicle: 20 bins of 102 l, room for 9
    PlanningConfig config = Towns.config(1, 1_000, "07:00", "15:00");
    RoutePlanner.Routes routes =
        new RoutePlanner(config, 1)
            .plan(Towns.selected(20, 3), config.round("daily").orElseThrow(), DATE);
    assertThat(routes.routes().get(0).stops()).hasSize(9);
    assertThat(routes.unassigned()).hasSize(11);
  }
}
