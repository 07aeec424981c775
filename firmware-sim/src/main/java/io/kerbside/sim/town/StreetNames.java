package io.kerbside.sim.town;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Unique, English-sounding street names for one town. Not thread-safe. */
final class StreetNames {
  private static final List<String> HIGH_STREETS =
      List.of(
          "High Street",
          "Market Street",
          "Bridge Street",
          "Sidney Street",
          "Market Square",
          "Trinity Street",
          "King's Parade",
          "Petty Cury",
          "Regent Street",
          "Fitzroy Street");
  private static final List<String> STEMS =
      List.of(
          "Mill",
          "Church",
          "Victoria",
          "Station",
          "Albert",
          "King",
          "Queen",
          "Chapel",
          "Castle",
          "Orchard",
          "Willow",
          "Elm",
          "Oak",
          "Ash",
          "Beech",
          "Meadow",
          "Abbey",
          "Priory",
          "Grange",
          "Manor",
          "York",
          "Newmarket",
          "Hills",
          "Thorn",
          "Cedar",
          "Hawthorn",
          "Rose",
          "Clarendon",
          "Lyndon",
          "Chesterton",
          "Milton",
          "Huntingdon",
          "Hobson",
          "Fen",
          "River",
          "Brook",
          "Alexandra",
          "Windsor",
          "Marlborough",
          "Devonshire",
          "Russell",
          "Granta",
          "Coleridge",
          "Cherry",
          "Hinton",
          "Barton",
          "Madingley",
          "Histon",
          "Gilbert",
          "Tenison",
          "Mawson",
          "Glisson",
          "Harvey",
          "Lensfield",
          "Panton",
          "Norwich",
          "Hertford",
          "Ferry",
          "Water",
          "Green",
          "Pound",
          "Sturton",
          "Mortimer",
          "Parkside",
          "Warkworth",
          "Eden",
          "Fair",
          "Beche",
          "Humberstone",
          "Hurst",
          "Selwyn",
          "Wordsworth",
          "Shelley",
          "Darwin",
          "Rutherford");
  private static final List<String> RESIDENTIAL =
      List.of(
          "Street",
          "Road",
          "Lane",
          "Close",
          "Avenue",
          "Gardens",
          "Way",
          "Terrace",
          "Crescent",
          "Grove",
          "Place",
          "Walk");
  private static final List<String> PARKS = List.of("Park", "Green", "Common", "Recreation Ground");
  private static final List<String> QUALIFIERS = List.of("Upper", "Lower", "North", "South", "Old");

  private final Set<String> used = new HashSet<>();
  private int nextHighStreet;

  String next(StreetType type, SplittableRandom rng) {
    if (type == StreetType.HIGH_STREET && nextHighStreet < HIGH_STREETS.size()) {
      return claim(HIGH_STREETS.get(nextHighStreet++));
    }
    for (int attempt = 0; attempt < 30; attempt++) {
      String candidate = candidate(type, rng);
      if (attempt >= 15) {
        candidate = QUALIFIERS.get(rng.nextInt(QUALIFIERS.size())) + " " + candidate;
      }
      if (!used.contains(candidate)) {
        return claim(candidate);
      }
    }
    String base = candidate(type, rng);
    for (int n = 2; ; n++) {
      String candidate = base + " " + n;
      if (!used.contains(candidate)) {
        return claim(candidate);
      }
    }
  }

  private static String candidate(StreetType type, SplittableRandom rng) {
    String stem = STEMS.get(rng.nextInt(STEMS.size()));
    return switch (type) {
      case HIGH_STREET -> stem + " Street";
      case MAIN_ROAD -> stem + " Road";
      case PARK -> stem + " " + PARKS.get(rng.nextInt(PARKS.size()));
      case RESIDENTIAL -> stem + " " + RESIDENTIAL.get(rng.nextInt(RESIDENTIAL.size()));
    };
  }

  private String claim(String name) {
    used.add(name);
    return name;
  }
}
