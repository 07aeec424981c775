package io.kerbside.bench;

import io.kerbside.planning.PlanningConfig;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.GeoPoint;
import io.kerbside.sim.town.Town;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Rounds by area for the collection evaluation's generated planning file: the town's central ward
 * (the one whose bins lie nearest the centre on average) every day, and its outer wards in groups
 * of neighbours - taken in order of their bearing from the centre - each on its own days. Each
 * weekday gets one round, of the centre and the groups that run that day, so no two rounds share a
 * day.
 *
 * @param centreWard the central ward
 * @param groups the outer wards, in groups of neighbours
 * @param groupDays each group's days, as given
 */
record AreaRounds(String centreWard, List<List<String>> groups, List<Set<DayOfWeek>> groupDays) {

  /**
   * The town's wards in as many groups as {@code spec} lists days for, e.g. {@code
   * "mon,thu;tue,fri"}.
   *
   * @throws BenchmarkException when the days cannot be read or there are fewer outer wards than
   *     groups
   */
  static AreaRounds of(Town town, String spec) {
    List<Set<DayOfWeek>> days = new ArrayList<>();
    for (String group : spec.split(";")) {
      Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
      for (String d : group.split(",")) {
        set.add(day(d.trim()));
      }
      days.add(set);
    }
    GeoPoint centre = new GeoPoint(town.centre().latitude(), town.centre().longitude());
    Map<String, List<Asset>> byWard =
        town.assets().stream()
            .collect(Collectors.groupingBy(Asset::ward, TreeMap::new, Collectors.toList()));
    String central =
        byWard.keySet().stream()
            .min(Comparator.comparingDouble(w -> meanDistance(byWard.get(w), centre)))
            .orElseThrow(() -> new BenchmarkException("the town has no bins"));
    List<String> outer =
        byWard.keySet().stream()
            .filter(w -> !w.equals(central))
            .sorted(Comparator.comparingDouble(w -> bearing(byWard.get(w), centre)))
            .toList();
    if (outer.size() < days.size()) {
      throw new BenchmarkException(
          "--area-days lists "
              + days.size()
              + " groups; the town has "
              + outer.size()
              + " outer wards");
    }
    List<List<String>> groups = new ArrayList<>();
    for (int g = 0; g < days.size(); g++) {
      int from = g * outer.size() / days.size();
      int to = (g + 1) * outer.size() / days.size();
      groups.add(List.copyOf(outer.subList(from, to)));
    }
    return new AreaRounds(central, groups, days);
  }

  /** The planning file: {@link CollectionEvaluation#header} and one round per set of wards. */
  String config(int bins, boolean onScheduleDays) {
    StringBuilder y = new StringBuilder();
    List<String> vehicles = CollectionEvaluation.header(y, bins, onScheduleDays);
    Map<List<String>, Set<DayOfWeek>> rounds = new LinkedHashMap<>();
    for (DayOfWeek d : DayOfWeek.values()) {
      List<String> wards = new ArrayList<>(List.of(centreWard));
      for (int g = 0; g < groups.size(); g++) {
        if (groupDays.get(g).contains(d)) {
          wards.addAll(groups.get(g));
        }
      }
      rounds.computeIfAbsent(wards, w -> EnumSet.noneOf(DayOfWeek.class)).add(d);
    }
    y.append("rounds:\n");
    int n = 0;
    for (Map.Entry<List<String>, Set<DayOfWeek>> r : rounds.entrySet()) {
      y.append("  - {name: ")
          .append(r.getKey().size() == 1 ? "centre" : "area-" + ++n)
          .append(", days: [")
          .append(
              r.getValue().stream()
                  .map(d -> d.name().substring(0, 3).toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", ")))
          .append("], wards: [")
          .append(r.getKey().stream().map(w -> "\"" + w + "\"").collect(Collectors.joining(", ")))
          .append("], start: \"06:00\", end: \"15:00\", vehicles: [")
          .append(String.join(", ", vehicles))
          .append("]}\n");
    }
    return y.toString();
  }

  private static double meanDistance(List<Asset> assets, GeoPoint centre) {
    return assets.stream()
        .mapToDouble(a -> a.location().distanceMetres(centre))
        .average()
        .orElse(0);
  }

  /** The bearing from the centre of the ward's bins' mean position, radians from east. */
  private static double bearing(List<Asset> assets, GeoPoint centre) {
    double east = 0;
    double north = 0;
    for (Asset a : assets) {
      GeoPoint p = a.location();
      east += (p.longitude() - centre.longitude()) * Math.cos(Math.toRadians(centre.latitude()));
      north += p.latitude() - centre.latitude();
    }
    double b = Math.atan2(north, east);
    return b < 0 ? b + 2 * Math.PI : b;
  }

  private static DayOfWeek day(String token) {
    return PlanningConfig.day(token)
        .orElseThrow(
            () ->
                new BenchmarkException(
                    "--area-days: '" + token + "' is not a weekday such as mon"));
  }
}
