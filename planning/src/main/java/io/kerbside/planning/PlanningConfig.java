package io.kerbside.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import io.kerbside.core.config.YamlEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collection planning's configuration, from the YAML file named by {@value #FILE} (format in
 * docs/planning.md, example in {@code planning/collection-rounds.example.yaml}): the vehicles, the
 * rounds they drive, and the settings of selection, travel times and the solver. Immutable; loaded
 * and validated once, with errors that name the file and the field.
 *
 * @param source the file it was read from, for messages
 * @param zone local time of rounds and shifts
 * @param selection which bins go on a plan
 * @param travel how travel times are estimated
 * @param solver how long the route solver searches
 */
public record PlanningConfig(
    String source,
    ZoneId zone,
    Selection selection,
    Travel travel,
    Solver solver,
    List<Vehicle> vehicles,
    List<Round> rounds) {

  public static final String FILE = "KERBSIDE_PLANNING_CONFIG";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /**
   * Which bins go on a plan.
   *
   * @param fillThresholdPct a bin predicted at least this full at the round's end is emptied
   * @param silentAfterHours a sensor without a reading for longer is silent: its bin falls back to
   *     its fixed schedule ({@code collection_days})
   * @param historyHours how far back readings are read for the fill rate (at least the silence)
   * @param emptyingDropPct a fall of at least this many points between readings is an emptying
   * @param minPoints readings needed after the last emptying before a rate is trusted
   * @param minSpanHours hours those readings must span
   * @param defaultBinCapacityL litres of a bin whose capacity the registry does not know
   * @param onScheduleDays keep the fixed rounds' days: a reporting bin with a fixed schedule is
   *     emptied on a day the schedule names when it is predicted full enough or could not wait for
   *     its next such day, and on another day only when it could not wait for the round's next run;
   *     off, any day's round takes any bin that needs it
   */
  public record Selection(
      double fillThresholdPct,
      double silentAfterHours,
      int historyHours,
      double emptyingDropPct,
      int minPoints,
      double minSpanHours,
      int defaultBinCapacityL,
      boolean onScheduleDays) {}

  /**
   * Travel times: great-circle distance x {@code detourFactor} at {@code speedKmh}, and {@code
   * serviceSeconds} at each bin.
   */
  public record Travel(double detourFactor, double speedKmh, int serviceSeconds) {
    /** Road metres between two points (great circle x detour factor). */
    public double roadMetres(double lat1, double lon1, double lat2, double lon2) {
      return GreatCircle.metres(lat1, lon1, lat2, lon2) * detourFactor;
    }

    /** Seconds to drive {@code roadMetres}. */
    public double seconds(double roadMetres) {
      return roadMetres / (speedKmh / 3.6);
    }
  }

  /**
   * The route solver's budget: at most {@code iterations} improvement rounds and {@code
   * maxSolveSeconds} per round, on {@code threads} threads; a round of more than {@code
   * splitAboveBins} bins is split into one problem per vehicle (see RoutePlanner).
   */
  public record Solver(int iterations, int maxSolveSeconds, int threads, int splitAboveBins) {}

  /**
   * A collection vehicle.
   *
   * @param capacityL litres of (uncompacted) waste it takes before it must tip
   */
  public record Vehicle(
      String name,
      int capacityL,
      LocalTime shiftStart,
      LocalTime shiftEnd,
      double depotLatitude,
      double depotLongitude) {}

  /**
   * A round: on {@code days} (every day when empty), between {@code start} and {@code end}, the
   * listed vehicles empty the bins selected for it, for the listed councils (every council when
   * empty), in the listed wards (every ward when empty: a round by area lists them).
   */
  public record Round(
      String name,
      Set<String> councils,
      Set<DayOfWeek> days,
      LocalTime start,
      LocalTime end,
      List<String> vehicles,
      Set<String> wards) {
    public Round {
      councils = Set.copyOf(councils);
      days = days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
      vehicles = List.copyOf(vehicles);
      wards = Set.copyOf(wards);
    }

    /** A round of every ward. */
    public Round(
        String name,
        Set<String> councils,
        Set<DayOfWeek> days,
        LocalTime start,
        LocalTime end,
        List<String> vehicles) {
      this(name, councils, days, start, end, vehicles, Set.of());
    }

    /** True when the round empties bins in {@code ward} (null: a bin the registry gives none). */
    public boolean covers(String ward) {
      return wards.isEmpty() || (ward != null && wards.contains(ward));
    }

    /** True when both rounds can empty the same bin on the same day. */
    boolean overlaps(Round other) {
      boolean councilsMeet =
          councils.isEmpty()
              || other.councils.isEmpty()
              || councils.stream().anyMatch(other.councils::contains);
      boolean wardsMeet =
          wards.isEmpty()
              || other.wards.isEmpty()
              || wards.stream().anyMatch(other.wards::contains);
      return councilsMeet && wardsMeet && days.stream().anyMatch(other.days::contains);
    }

    /** A vehicle both rounds use on a common day at a common time, if any. */
    Optional<String> sharedVehicle(Round other) {
      boolean sameTime = start.isBefore(other.end) && other.start.isBefore(end);
      if (!sameTime || days.stream().noneMatch(other.days::contains)) {
        return Optional.empty();
      }
      return vehicles.stream().filter(other.vehicles::contains).findFirst();
    }

    /** True when the round runs on {@code date}. */
    public boolean runsOn(LocalDate date) {
      return days.contains(date.getDayOfWeek());
    }

    /** True when the round serves the council {@code slug}. */
    public boolean serves(String slug) {
      return councils.isEmpty() || councils.contains(slug);
    }

    /** The first date after {@code date} on which the round runs. */
    public LocalDate nextAfter(LocalDate date) {
      LocalDate d = date.plusDays(1);
      while (!runsOn(d)) {
        d = d.plusDays(1);
      }
      return d;
    }
  }

  public PlanningConfig {
    vehicles = List.copyOf(vehicles);
    rounds = List.copyOf(rounds);
  }

  /** The file named by {@value #FILE}; empty when the setting is not set. */
  public static Optional<PlanningConfig> from(Settings settings) {
    String file = settings.string(FILE, "");
    return file.isEmpty() ? Optional.empty() : Optional.of(load(Path.of(file)));
  }

  /**
   * Reads and validates a planning file.
   *
   * @throws ConfigException naming the file and field when it cannot be read or is invalid
   */
  public static PlanningConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(FILE + " names a file that cannot be read: " + file);
    }
    return parse(text, file.toString());
  }

  /** Parses planning YAML; {@code source} names it in error messages. */
  public static PlanningConfig parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (IOException e) {
      String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new ConfigException(source + ": not valid YAML: " + why);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(source + ": is empty; it needs vehicles and rounds");
    }
    YamlEntry top = new YamlEntry(source, root);
    top.onlyKeys("zone", "selection", "travel", "solver", "vehicles", "rounds");
    ZoneId zone;
    String zoneName = top.string("zone", "Europe/London");
    try {
      zone = ZoneId.of(zoneName);
    } catch (DateTimeException e) {
      throw top.error("zone must be a time zone such as Europe/London, got '" + zoneName + "'");
    }

    YamlEntry s = top.child("selection");
    s.onlyKeys(
        "fill_threshold_pct",
        "silent_after_h",
        "history_h",
        "emptying_drop_pct",
        "min_points",
        "min_span_h",
        "default_bin_capacity_l",
        "on_schedule_days");
    Selection selection =
        new Selection(
            s.doubleBetween("fill_threshold_pct", 80, 1, 100),
            s.doubleBetween("silent_after_h", 12, 0.5, 24 * 14),
            s.intBetween("history_h", 72, 1, 24 * 14),
            s.doubleBetween("emptying_drop_pct", 20, 1, 100),
            s.intBetween("min_points", 4, 2, 1000),
            s.doubleBetween("min_span_h", 2, 0, 24 * 7),
            s.intBetween("default_bin_capacity_l", 240, 1, 100_000),
            s.bool("on_schedule_days", false));
    if (selection.historyHours() < selection.silentAfterHours()) {
      throw s.error(
          "history_h ("
              + selection.historyHours()
              + ") must be at least silent_after_h ("
              + selection.silentAfterHours()
              + "): silence is judged from the readings read");
    }
    YamlEntry t = top.child("travel");
    t.onlyKeys("detour_factor", "speed_kmh", "service_s");
    Travel travel =
        new Travel(
            t.doubleBetween("detour_factor", 1.3, 1, 5),
            t.doubleBetween("speed_kmh", 20, 1, 130),
            t.intBetween("service_s", 90, 0, 3600));
    YamlEntry so = top.child("solver");
    so.onlyKeys("iterations", "max_solve_s", "threads", "split_above_bins");
    Solver solver =
        new Solver(
            so.intBetween("iterations", 200, 1, 100_000),
            so.intBetween("max_solve_s", 8, 1, 3600),
            so.intBetween("threads", 2, 1, 64),
            so.intBetween("split_above_bins", 400, 1, 1_000_000));

    Map<String, Vehicle> vehicles = new LinkedHashMap<>();
    List<YamlEntry> vehicleEntries = top.list("vehicles");
    if (vehicleEntries.isEmpty()) {
      throw top.error("vehicles must list at least one vehicle");
    }
    for (YamlEntry v : vehicleEntries) {
      v.onlyKeys("name", "capacity_l", "shift_start", "shift_end", "depot");
      String name = name(v);
      YamlEntry at = v.named(name);
      YamlEntry depot = at.child("depot");
      depot.onlyKeys("lat", "lon");
      Vehicle vehicle =
          new Vehicle(
              name,
              at.requiredIntBetween("capacity_l", 1, 10_000_000),
              at.time("shift_start"),
              at.time("shift_end"),
              depot.requiredDoubleBetween("lat", -90, 90),
              depot.requiredDoubleBetween("lon", -180, 180));
      if (!vehicle.shiftEnd().isAfter(vehicle.shiftStart())) {
        throw at.error("shift_end must be after shift_start (shifts end on the day they start)");
      }
      if (vehicles.putIfAbsent(name, vehicle) != null) {
        throw at.error("a vehicle named '" + name + "' is already declared");
      }
    }

    List<Round> rounds = new ArrayList<>();
    List<YamlEntry> roundEntries = top.list("rounds");
    if (roundEntries.isEmpty()) {
      throw top.error("rounds must list at least one round");
    }
    for (YamlEntry r : roundEntries) {
      r.onlyKeys("name", "councils", "days", "start", "end", "vehicles", "wards");
      String name = name(r);
      YamlEntry at = r.named(name);
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      for (String d : at.strings("days")) {
        days.add(
            day(d)
                .orElseThrow(
                    () -> at.error("days must list weekdays such as mon, tue, got '" + d + "'")));
      }
      List<String> used = at.strings("vehicles");
      if (used.isEmpty()) {
        throw at.error("vehicles must name at least one vehicle");
      }
      for (String v : used) {
        if (!vehicles.containsKey(v)) {
          throw at.error("vehicles names '" + v + "', which is not declared under vehicles");
        }
      }
      Round round =
          new Round(
              name,
              Set.copyOf(at.strings("councils")),
              days,
              at.time("start"),
              at.time("end"),
              used,
              wards(at));
      if (!round.end().isAfter(round.start())) {
        throw at.error("end must be after start");
      }
      for (Round earlier : rounds) {
        if (earlier.name().equals(name)) {
          throw at.error("a round named '" + name + "' is already declared");
        }
        if (earlier.overlaps(round)) {
          throw at.error(
              "overlaps round '"
                  + earlier.name()
                  + "': both can empty the same bins on the same day (give them different"
                  + " days, councils or wards)");
        }
        Optional<String> vehicle = earlier.sharedVehicle(round);
        if (vehicle.isPresent()) {
          throw at.error(
              "uses vehicle '"
                  + vehicle.get()
                  + "' on a day and at a time round '"
                  + earlier.name()
                  + "' does");
        }
      }
      rounds.add(round);
    }
    return new PlanningConfig(
        source, zone, selection, travel, solver, List.copyOf(vehicles.values()), rounds);
  }

  /** The vehicle named {@code name}. */
  public Vehicle vehicle(String name) {
    return vehicles.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  /** The round named {@code name}. */
  public Optional<Round> round(String name) {
    return rounds.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** True when {@code name} could name a round (lower-case letters, digits, - and _). */
  public static boolean isName(String name) {
    return NAME.matcher(name).matches();
  }

  /** The entry's required {@code name}, a valid round or vehicle name. */
  private static String name(YamlEntry e) {
    String v = e.requiredString("name");
    if (!isName(v)) {
      throw e.error(
          "name must be lower-case letters, digits, - and _ (at most 63), got '" + v + "'");
    }
    return v;
  }

  /** The round's {@code wards}: names as the registry spells them, each at most once. */
  private static Set<String> wards(YamlEntry round) {
    List<String> listed = round.strings("wards");
    Set<String> wards = round.stringSet("wards");
    if (wards.size() != listed.size()) {
      throw round.error("wards lists a ward twice");
    }
    return wards;
  }

  /**
   * The weekday {@code token} names: {@code mon}, {@code Tues}, {@code monday} (three letters at
   * least).
   */
  public static Optional<DayOfWeek> day(String token) {
    String t = token.toLowerCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (t.length() >= 3 && d.name().toLowerCase(Locale.ROOT).startsWith(t)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
