package io.kerbside.planning;

import io.kerbside.core.bins.FillPrediction;
import io.kerbside.planning.select.BinState;
import io.kerbside.planning.select.SelectedBin;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Test towns: configurations and bins around a depot in Cambridge. */
public final class Towns {
  public static final double DEPOT_LAT = 52.2053;
  public static final double DEPOT_LON = 0.1218;

  private Towns() {}

  /** A configuration with {@code vehicles} vehicles of {@code capacityL} on one daily round. */
  public static PlanningConfig config(int vehicles, int capacityL, String start, String end) {
    StringBuilder y =
        new StringBuilder("zone: Europe/London\nsolver: {iterations: 40}\nvehicles:\n");
    StringBuilder names = new StringBuilder();
    for (int i = 1; i <= vehicles; i++) {
      y.append("  - name: rcv-")
          .append(i)
          .append("\n    capacity_l: ")
          .append(capacityL)
          .append("\n    shift_start: \"")
          .append(start)
          .append("\"\n    shift_end: \"")
          .append(end)
          .append("\"\n    depot: {lat: ")
          .append(DEPOT_LAT)
          .append(", lon: ")
          .append(DEPOT_LON)
          .append("}\n");
      names.append(i == 1 ? "" : ", ").append("rcv-").append(i);
    }
    y.append("rounds:\n  - name: daily\n    start: \"")
        .append(start)
        .append("\"\n    end: \"")
        .append(end)
        .append("\"\n    vehicles: [")
        .append(names)
        .append("]\n");
    return PlanningConfig.parse(y.toString(), "test.yaml");
  }

  /** {@code n} bins scattered within about 3 km of the depot, each already selected. */
  public static List<SelectedBin> selected(int n, long seed) {
    Random r = new Random(seed);
    List<SelectedBin> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double lat = DEPOT_LAT + (r.nextDouble() - 0.5) * 0.05;
      double lon = DEPOT_LON + (r.nextDouble() - 0.5) * 0.08;
      BinState b =
          new BinState(
              i + 1,
              String.format("BIN/%05d", i + 1),
              "bin " + (i + 1),
              "Street " + (i % 40),
              "Ward " + (i % 7),
              lat,
              lon,
              120,
              Set.of(DayOfWeek.MONDAY),
              List.of(),
              Set.of());
      out.add(new SelectedBin(b, List.of(Reason.PREDICTED_FILL), 85, 120 * 0.85));
    }
    return out;
  }

  /**
   * Fill readings every {@code stepMin} minutes ending at {@code end}, rising by {@code perHour}.
   */
  public static List<FillPrediction.Point> filling(
      Instant end, double hours, int stepMin, double endPct, double perHour) {
    List<FillPrediction.Point> out = new ArrayList<>();
    int n = (int) (hours * 60 / stepMin);
    for (int i = n; i >= 0; i--) {
      Instant at = end.minus(Duration.ofMinutes((long) i * stepMin));
      out.add(new FillPrediction.Point(at, endPct - perHour * i * stepMin / 60.0));
    }
    return out;
  }
}
