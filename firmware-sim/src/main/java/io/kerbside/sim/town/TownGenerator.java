package io.kerbside.sim.town;

import io.kerbside.core.DeviceId;
import io.kerbside.core.DeviceKind;
import io.kerbside.sim.TownCentre;
import io.kerbside.sim.random.Seeds;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Lays out a plausible town around a centre: high streets in the middle, main roads running out of
 * it, residential streets and parks between them, divided into wards. Assets stand along the
 * streets: about 45 % streetlights, 35 % bins and 20 % pavement sections, with the bins crowding on
 * high streets and in parks. The town grows with the number of assets (about 1.3 km across for
 * 1,000 assets, 4 km for 10,000), so that their density stays that of a real town.
 *
 * <p>The same number of devices, centre and seed always give the same town.
 */
public final class TownGenerator {
  static final double STREETLIGHT_SHARE = 0.45;
  static final double BIN_SHARE = 0.35;
  private static final double SLOT_SPACING_M = 25;
  private static final double CENTRE_WARD_SHARE = 0.3;
  private static final List<String> WARD_NAMES =
      List.of(
          "Castle",
          "Abbey",
          "Newnham",
          "Riverside",
          "Petersfield",
          "Kingsway",
          "Westfield",
          "Arbury",
          "Romsey",
          "Trumpington",
          "Coleridge",
          "Queen Edith's",
          "Dorset Gardens",
          "Eastfield",
          "Lammas Land",
          "Histon Road");

  private TownGenerator() {}

  /**
   * @param devices number of assets, 1 or more
   * @param centre where the town lies
   * @param seed the run's seed
   */
  public static Town generate(int devices, TownCentre centre, long seed) {
    if (devices < 1) {
      throw new IllegalArgumentException("devices must be at least 1, got " + devices);
    }
    SplittableRandom rng = Seeds.stream(seed, Seeds.TOWN);
    double radiusM = Math.min(6_000, Math.max(400, 300 * Math.sqrt(devices / 50.0)));
    List<String> wards = pickWards(rng);
    List<Street> streets = layStreets(devices, radiusM, rng);

    int lights = (int) Math.round(devices * STREETLIGHT_SHARE);
    int bins = (int) Math.round(devices * BIN_SHARE);
    if (lights + bins > devices) {
      bins = devices - lights;
    }
    int pavements = devices - lights - bins;

    GeoPoint origin = new GeoPoint(centre.latitude(), centre.longitude());
    List<Asset> assets = new ArrayList<>(devices);
    Placer placer = new Placer(streets, radiusM, wards, origin, rng);
    for (int i = 1; i <= bins; i++) {
      Placement p = placer.place(DeviceKind.BIN);
      assets.add(asset(assets.size(), DeviceKind.BIN, "bin-", "BIN", i, p, binDetails(p, rng)));
    }
    for (int i = 1; i <= lights; i++) {
      Placement p = placer.place(DeviceKind.STREETLIGHT);
      assets.add(
          asset(assets.size(), DeviceKind.STREETLIGHT, "light-", "SL", i, p, lightDetails(p, rng)));
    }
    for (int i = 1; i <= pavements; i++) {
      Placement p = placer.place(DeviceKind.PAVEMENT);
      assets.add(
          asset(assets.size(), DeviceKind.PAVEMENT, "pave-", "PV", i, p, pavementDetails(p, rng)));
    }
    return new Town(centre, radiusM, assets);
  }

  private static Asset asset(
      int index,
      DeviceKind kind,
      String idPrefix,
      String refKind,
      int n,
      Placement p,
      AssetDetails details) {
    String number = String.format(Locale.ROOT, "%05d", n);
    return new Asset(
        index,
        new DeviceId(idPrefix + number),
        kind,
        wardCode(p.ward) + "/" + refKind + "/" + number,
        p.location,
        p.ward,
        p.street.name,
        p.street.type,
        details);
  }

  private static List<String> pickWards(SplittableRandom rng) {
    List<String> pool = new ArrayList<>(WARD_NAMES);
    for (int i = pool.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      String t = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, t);
    }
    List<String> wards = new ArrayList<>();
    wards.add("Market");
    wards.addAll(pool.subList(0, 6));
    return wards;
  }

  static String wardCode(String ward) {
    String letters = ward.replaceAll("[^A-Za-z]", "").toUpperCase(Locale.ROOT);
    return letters.substring(0, Math.min(3, letters.length()));
  }

  private static List<Street> layStreets(int devices, double radiusM, SplittableRandom rng) {
    StreetNames names = new StreetNames();
    List<Street> streets = new ArrayList<>();
    int highStreets = Math.max(1, Math.min(10, (int) Math.round(devices / 400.0)));
    for (int i = 0; i < highStreets; i++) {
      double r = radiusM * 0.12 * Math.sqrt(rng.nextDouble());
      double theta = rng.nextDouble() * 2 * Math.PI;
      double heading = rng.nextDouble() * Math.PI;
      double length = Seeds.between(rng, 200, 450);
      streets.add(
          Street.centredOn(
              names.next(StreetType.HIGH_STREET, rng),
              StreetType.HIGH_STREET,
              r * Math.cos(theta),
              r * Math.sin(theta),
              heading,
              length));
    }
    int mainRoads = Math.min(8, 4 + devices / 2_000);
    double firstAngle = rng.nextDouble() * 2 * Math.PI;
    for (int i = 0; i < mainRoads; i++) {
      double theta = firstAngle + i * 2 * Math.PI / mainRoads + Seeds.between(rng, -0.2, 0.2);
      double r0 = radiusM * 0.1;
      double r1 = radiusM * Seeds.between(rng, 0.85, 1.0);
      streets.add(
          new Street(
              names.next(StreetType.MAIN_ROAD, rng),
              StreetType.MAIN_ROAD,
              r0 * Math.cos(theta),
              r0 * Math.sin(theta),
              r1 * Math.cos(theta),
              r1 * Math.sin(theta)));
    }
    double slots = 0;
    for (Street s : streets) {
      slots += s.capacity();
    }
    while (slots < devices * 1.25) {
      double r = radiusM * Math.sqrt(Seeds.between(rng, 0.04, 1.0));
      double theta = rng.nextDouble() * 2 * Math.PI;
      StreetType type = rng.nextDouble() < 0.12 ? StreetType.PARK : StreetType.RESIDENTIAL;
      double length =
          type == StreetType.PARK ? Seeds.between(rng, 150, 400) : Seeds.between(rng, 100, 420);
      Street s =
          Street.centredOn(
              names.next(type, rng),
              type,
              r * Math.cos(theta),
              r * Math.sin(theta),
              rng.nextDouble() * Math.PI,
              length);
      streets.add(s);
      slots += s.capacity();
    }
    return streets;
  }

  private static BinDetails binDetails(Placement p, SplittableRandom rng) {
    int depthMm;
    int capacityL;
    switch (p.street.type) {
      case HIGH_STREET, PARK -> {
        depthMm = 1_000;
        capacityL = 240;
      }
      case MAIN_ROAD -> {
        depthMm = 800;
        capacityL = 120;
      }
      default -> {
        boolean small = rng.nextDouble() < 0.3;
        depthMm = small ? 600 : 750;
        capacityL = small ? 60 : 110;
      }
    }
    Set<DayOfWeek> days =
        switch (p.street.type) {
          case HIGH_STREET -> EnumSet.allOf(DayOfWeek.class);
          case MAIN_ROAD -> EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
          case PARK -> EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY, DayOfWeek.SATURDAY);
          case RESIDENTIAL -> EnumSet.of(DayOfWeek.of(1 + p.wardIndex % 5));
        };
    int minutes =
        p.street.type == StreetType.HIGH_STREET
            ? 6 * 60 + rng.nextInt(90)
            : 6 * 60 + p.wardIndex * 45 + rng.nextInt(120);
    minutes = Math.min(minutes - minutes % 5, 15 * 60);
    return new BinDetails(depthMm, capacityL, days, LocalTime.of(minutes / 60, minutes % 60));
  }

  private static StreetlightDetails lightDetails(Placement p, SplittableRandom rng) {
    double u = rng.nextDouble();
    LampType type = u < 0.7 ? LampType.LED : u < 0.9 ? LampType.SON : LampType.CMH;
    boolean busy = p.street.type == StreetType.HIGH_STREET || p.street.type == StreetType.MAIN_ROAD;
    double[] powers =
        switch (type) {
          case LED -> busy ? new double[] {36, 54} : new double[] {18, 27};
          case SON ->
              p.street.type == StreetType.MAIN_ROAD
                  ? new double[] {100, 150}
                  : new double[] {70, 100};
          case CMH -> new double[] {45, 60, 90};
        };
    double power = powers[rng.nextInt(powers.length)];
    DimmingProfile dimming =
        type == LampType.LED && rng.nextDouble() < 0.8
            ? DimmingProfile.PART_NIGHT
            : DimmingProfile.NONE;
    double height =
        switch (p.street.type) {
          case MAIN_ROAD -> 10;
          case HIGH_STREET -> 8;
          case RESIDENTIAL -> 6;
          case PARK -> 5;
        };
    return new StreetlightDetails(type, power, dimming, height);
  }

  private static PavementDetails pavementDetails(Placement p, SplittableRandom rng) {
    double u = rng.nextDouble();
    SurfaceType surface =
        switch (p.street.type) {
          case HIGH_STREET -> u < 0.6 ? SurfaceType.BLOCK_PAVING : SurfaceType.ASPHALT;
          case RESIDENTIAL -> u < 0.75 ? SurfaceType.ASPHALT : SurfaceType.CONCRETE;
          case PARK -> u < 0.7 ? SurfaceType.ASPHALT : SurfaceType.BLOCK_PAVING;
          case MAIN_ROAD -> SurfaceType.ASPHALT;
        };
    double shade =
        switch (p.street.type) {
          case HIGH_STREET -> Seeds.between(rng, 0.3, 0.7);
          case RESIDENTIAL -> Seeds.between(rng, 0.1, 0.6);
          case MAIN_ROAD -> Seeds.between(rng, 0.0, 0.3);
          case PARK -> Seeds.between(rng, 0.2, 0.8);
        };
    return new PavementDetails(surface, 50, Math.round(shade * 100) / 100.0);
  }

  /** A straight street in metres east and north of the centre. */
  private static final class Street {
    final String name;
    final StreetType type;
    final double x0;
    final double y0;
    final double x1;
    final double y1;

    Street(String name, StreetType type, double x0, double y0, double x1, double y1) {
      this.name = name;
      this.type = type;
      this.x0 = x0;
      this.y0 = y0;
      this.x1 = x1;
      this.y1 = y1;
    }

    static Street centredOn(
        String name, StreetType type, double x, double y, double heading, double length) {
      double dx = Math.cos(heading) * length / 2;
      double dy = Math.sin(heading) * length / 2;
      return new Street(name, type, x - dx, y - dy, x + dx, y + dy);
    }

    double length() {
      return Math.hypot(x1 - x0, y1 - y0);
    }

    int capacity() {
      return Math.max(1, (int) (length() / SLOT_SPACING_M));
    }
  }

  private record Placement(Street street, GeoPoint location, String ward, int wardIndex) {}

  /** Chooses a street for each asset, weighted by kind and street type, and a spot along it. */
  private static final class Placer {
    private final List<Street> streets;
    private final double radiusM;
    private final List<String> wards;
    private final GeoPoint origin;
    private final SplittableRandom rng;
    private final double[][] cumulative = new double[DeviceKind.values().length][];

    Placer(
        List<Street> streets,
        double radiusM,
        List<String> wards,
        GeoPoint origin,
        SplittableRandom rng) {
      this.streets = streets;
      this.radiusM = radiusM;
      this.wards = wards;
      this.origin = origin;
      this.rng = rng;
      for (DeviceKind kind : DeviceKind.values()) {
        double[] c = new double[streets.size()];
        double sum = 0;
        for (int i = 0; i < streets.size(); i++) {
          Street s = streets.get(i);
          sum += s.capacity() * preference(kind, s.type);
          c[i] = sum;
        }
        cumulative[kind.ordinal()] = c;
      }
    }

    private static double preference(DeviceKind kind, StreetType type) {
      return switch (kind) {
        case BIN ->
            switch (type) {
              case HIGH_STREET -> 4;
              case PARK -> 2;
              case MAIN_ROAD, RESIDENTIAL -> 1;
            };
        case STREETLIGHT ->
            switch (type) {
              case MAIN_ROAD -> 1.5;
              case PARK -> 0.6;
              case HIGH_STREET, RESIDENTIAL -> 1;
            };
        case PAVEMENT ->
            switch (type) {
              case HIGH_STREET -> 2;
              case MAIN_ROAD -> 1.5;
              case PARK -> 0.5;
              case RESIDENTIAL -> 1;
            };
      };
    }

    Placement place(DeviceKind kind) {
      double[] c = cumulative[kind.ordinal()];
      double target = rng.nextDouble() * c[c.length - 1];
      int lo = 0;
      int hi = c.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (c[mid] <= target) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      Street s = streets.get(lo);
      double f = rng.nextDouble();
      double side = rng.nextBoolean() ? 1 : -1;
      double offset = side * Seeds.between(rng, 4, 8);
      double len = Math.max(1, s.length());
      double nx = -(s.y1 - s.y0) / len;
      double ny = (s.x1 - s.x0) / len;
      double x = s.x0 + (s.x1 - s.x0) * f + nx * offset;
      double y = s.y0 + (s.y1 - s.y0) * f + ny * offset;
      int wardIndex = wardIndex(x, y);
      return new Placement(s, origin.offsetMetres(x, y), wards.get(wardIndex), wardIndex);
    }

    private int wardIndex(double x, double y) {
      if (Math.hypot(x, y) < radiusM * CENTRE_WARD_SHARE) {
        return 0;
      }
      double angle = Math.atan2(y, x);
      if (angle < 0) {
        angle += 2 * Math.PI;
      }
      int sector = (int) (angle / (2 * Math.PI) * (wards.size() - 1));
      return 1 + Math.min(sector, wards.size() - 2);
    }
  }
}
