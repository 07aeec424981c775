package io.kerbside.worklists;

import java.util.Locale;

/**
 * The footway defect categories, each with its response time ({@link WorklistsConfig}): a trip
 * hazard at or above the make-safe depth, one at or above the repair depth (or widened suddenly),
 * and rough footways.
 */
public enum FootwayCategory {
  MAKE_SAFE("Make safe"),
  REPAIR("Repair"),
  ROUGHNESS("Inspect roughness");

  private final String label;

  FootwayCategory(String label) {
    this.label = label;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public String label() {
    return label;
  }

  /** Within how many hours of the alert's opening the category's work is due. */
  public int responseHours(WorklistsConfig c) {
    return switch (this) {
      case MAKE_SAFE -> c.makeSafeResponseHours();
      case REPAIR -> c.repairResponseHours();
      case ROUGHNESS -> c.roughnessResponseHours();
    };
  }

  /**
   * The category of an alert: a trip hazard by its crack in mm (the alert's value, or its peak when
   * larger), a roughness alert as such.
   */
  public static FootwayCategory of(String rule, Double crackMm, WorklistsConfig c) {
    if (!Worklists.TRIP_HAZARD.equals(rule)) {
      return ROUGHNESS;
    }
    return crackMm != null && crackMm >= c.makeSafeMm() ? MAKE_SAFE : REPAIR;
  }
}
