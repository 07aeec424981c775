package io.kerbside.worklists;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The work lists' and the crew page's settings, read once at start-up.
 *
 * @param zone the councils' local time zone: what "a date" and "tonight" mean ({@code
 *     KERBSIDE_WORKLIST_ZONE}, default {@code KERBSIDE_ANALYTICS_TIME_ZONE}, else {@code
 *     Europe/London})
 * @param grittingHorizonHours how far ahead a falling surface temperature puts a section on the
 *     gritting list ({@code KERBSIDE_WORKLIST_GRITTING_HORIZON_H}, default 12: tonight)
 * @param grittingTrendHours how many hours of surface temperatures the trend is fitted over ({@code
 *     KERBSIDE_WORKLIST_GRITTING_TREND_H}, default 3)
 * @param freezingSurfaceTempC the surface temperature counted as freezing ({@code
 *     KERBSIDE_WORKLIST_FREEZING_C}, default 1: highway authorities grit at a forecast road surface
 *     of +1 °C, as the ice-risk rule does)
 * @param makeSafeMm a trip hazard this deep or more is made safe first ({@code
 *     KERBSIDE_WORKLIST_FOOTWAY_MAKE_SAFE_MM}, default 40)
 * @param makeSafeResponseHours within how long ({@code KERBSIDE_WORKLIST_FOOTWAY_MAKE_SAFE_H},
 *     default 24)
 * @param repairMm a trip hazard this deep or more (and any that widened suddenly) is repaired
 *     ({@code KERBSIDE_WORKLIST_FOOTWAY_REPAIR_MM}, default 20)
 * @param repairResponseHours within how long ({@code KERBSIDE_WORKLIST_FOOTWAY_REPAIR_H}, default
 *     672: 28 days)
 * @param roughnessResponseHours within how long a rough footway is inspected ({@code
 *     KERBSIDE_WORKLIST_FOOTWAY_ROUGHNESS_H}, default 672)
 * @param crewTileUrl the crew page's map tiles, {@code https://.../{z}/{x}/{y}.png} ({@code
 *     KERBSIDE_CREW_TILE_URL}); empty: no tiles, the map draws the assets on a blank ground
 * @param crewTileAttribution the tiles' attribution, shown on the map ({@code
 *     KERBSIDE_CREW_TILE_ATTRIBUTION})
 * @param crewLinkSecret the key that signs crew links ({@code KERBSIDE_CREW_LINK_SECRET}, at least
 *     32 characters); empty: no crew links are made or accepted
 * @param crewLinkHours how long a crew link is valid by default ({@code KERBSIDE_CREW_LINK_HOURS},
 *     default 12, at most 168)
 * @param crewBaseUrl where crews reach this server, for printed links ({@code
 *     KERBSIDE_CREW_BASE_URL}, e.g. {@code https://kerbside.example.org}); empty: the HTTP server's
 *     own address
 */
public record WorklistsConfig(
    ZoneId zone,
    int grittingHorizonHours,
    int grittingTrendHours,
    double freezingSurfaceTempC,
    int makeSafeMm,
    int makeSafeResponseHours,
    int repairMm,
    int repairResponseHours,
    int roughnessResponseHours,
    String crewTileUrl,
    String crewTileAttribution,
    Secret crewLinkSecret,
    int crewLinkHours,
    Optional<String> crewBaseUrl) {
  public static final String ZONE = "KERBSIDE_WORKLIST_ZONE";
  public static final String GRITTING_HORIZON_H = "KERBSIDE_WORKLIST_GRITTING_HORIZON_H";
  public static final String GRITTING_TREND_H = "KERBSIDE_WORKLIST_GRITTING_TREND_H";
  public static final String FREEZING_C = "KERBSIDE_WORKLIST_FREEZING_C";
  public static final String MAKE_SAFE_MM = "KERBSIDE_WORKLIST_FOOTWAY_MAKE_SAFE_MM";
  public static final String MAKE_SAFE_H = "KERBSIDE_WORKLIST_FOOTWAY_MAKE_SAFE_H";
  public static final String REPAIR_MM = "KERBSIDE_WORKLIST_FOOTWAY_REPAIR_MM";
  public static final String REPAIR_H = "KERBSIDE_WORKLIST_FOOTWAY_REPAIR_H";
  public static final String ROUGHNESS_H = "KERBSIDE_WORKLIST_FOOTWAY_ROUGHNESS_H";
  public static final String TILE_URL = "KERBSIDE_CREW_TILE_URL";
  public static final String TILE_ATTRIBUTION = "KERBSIDE_CREW_TILE_ATTRIBUTION";
  public static final String LINK_SECRET = "KERBSIDE_CREW_LINK_SECRET";
  public static final String LINK_HOURS = "KERBSIDE_CREW_LINK_HOURS";
  public static final String BASE_URL = "KERBSIDE_CREW_BASE_URL";

  /** Shortest crew link secret accepted (as {@code io.kerbside.api.auth.CrewLinks} requires). */
  public static final int MIN_SECRET_LENGTH = 32;

  /**
   * @throws ConfigException naming the first setting that is wrong
   */
  public static WorklistsConfig from(Settings s) {
    // the analytics role's zone unless the lists are told otherwise: one council, one clock
    String zoneText = s.string(ZONE, s.string("KERBSIDE_ANALYTICS_TIME_ZONE", "Europe/London"));
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      throw new ConfigException(
          ZONE + " must be a time zone such as Europe/London, got '" + zoneText + "'");
    }
    String freezingText = s.string(FREEZING_C, "1");
    double freezing;
    try {
      freezing = Double.parseDouble(freezingText);
    } catch (NumberFormatException e) {
      throw new ConfigException(FREEZING_C + " must be a number, got '" + freezingText + "'");
    }
    if (!(freezing >= -10 && freezing <= 5)) {
      throw new ConfigException(FREEZING_C + " must be between -10 and 5, got " + freezingText);
    }
    int makeSafeMm = s.intBetween(MAKE_SAFE_MM, 40, 1, 1000);
    int repairMm = s.intBetween(REPAIR_MM, 20, 1, 1000);
    if (repairMm > makeSafeMm) {
      throw new ConfigException(
          REPAIR_MM
              + " ("
              + repairMm
              + ") must not be above "
              + MAKE_SAFE_MM
              + " ("
              + makeSafeMm
              + ")");
    }
    String tileUrl = s.string(TILE_URL, "");
    if (!tileUrl.isEmpty()
        && (!(tileUrl.startsWith("https://") || tileUrl.startsWith("http://"))
            || !tileUrl.contains("{z}")
            || !tileUrl.contains("{x}")
            || !tileUrl.contains("{y}")
            || tileUrl.chars().anyMatch(c -> c < 0x21 || c == '"' || c == '<' || c == '>'))) {
      throw new ConfigException(
          TILE_URL
              + " must be an http(s) URL with {z}, {x} and {y}, such as"
              + " https://tile.example.org/{z}/{x}/{y}.png, got '"
              + tileUrl
              + "'");
    }
    Secret secret = s.secret(LINK_SECRET);
    if (!secret.isEmpty() && secret.reveal().length() < MIN_SECRET_LENGTH) {
      throw new ConfigException(
          LINK_SECRET
              + " must have at least "
              + MIN_SECRET_LENGTH
              + " characters (openssl rand -base64 33 makes one)");
    }
    String base = s.string(BASE_URL, "");
    if (!base.isEmpty() && !base.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
      throw new ConfigException(
          BASE_URL
              + " must be an http(s) address such as https://kerbside.example.org, got '"
              + base
              + "'");
    }
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return new WorklistsConfig(
        zone,
        s.intBetween(GRITTING_HORIZON_H, 12, 1, 48),
        s.intBetween(GRITTING_TREND_H, 3, 1, 24),
        freezing,
        makeSafeMm,
        s.intBetween(MAKE_SAFE_H, 24, 1, 8760),
        repairMm,
        s.intBetween(REPAIR_H, 672, 1, 8760),
        s.intBetween(ROUGHNESS_H, 672, 1, 8760),
        tileUrl,
        s.string(TILE_ATTRIBUTION, ""),
        secret,
        s.intBetween(LINK_HOURS, 12, 1, 168),
        base.isEmpty() ? Optional.empty() : Optional.of(base));
  }

  /** Defaults, for tests. */
  public static WorklistsConfig defaults() {
    return from(Settings.from(java.util.Map.of()));
  }
}
