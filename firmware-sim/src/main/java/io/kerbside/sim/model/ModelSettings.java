package io.kerbside.sim.model;

import io.kerbside.sim.PlannedCollections;
import java.time.LocalDate;

/**
 * What a scenario changes in the device models.
 *
 * @param initialFillMinPct lowest fill a bin starts with
 * @param initialFillMaxPct highest fill a bin starts with
 * @param fillRateScale multiplies every bin's fill rate (a quiet day has fewer people about)
 * @param collectionDay when set, every bin is emptied on that local date at its collection time,
 *     and on no other; when {@code null} bins follow their own collection days
 * @param potholesPerPavementYear how often a pavement section forms a pothole, before the extra
 *     risk of freeze-thaw cycles and roughness; 0 for never
 * @param plants what the scenario sets up in particular devices ({@link Plants#NONE} for nothing)
 * @param planned when set, bins are emptied only as these plans say, at their stops' ETAs, and
 *     {@code collectionDay} and the bins' own collection days are ignored; {@code null} for the
 *     fixed rounds
 * @param binUsageSpread how unevenly bins of one kind of street are used: the standard deviation of
 *     the natural log of each bin's own factor on its street's fill rate ({@link
 *     #DEFAULT_BIN_USAGE_SPREAD} by default; see {@link BinModel})
 */
public record ModelSettings(
    double initialFillMinPct,
    double initialFillMaxPct,
    double fillRateScale,
    LocalDate collectionDay,
    double potholesPerPavementYear,
    Plants plants,
    PlannedCollections planned,
    double binUsageSpread) {
  /** The spread of the bins' own fill-rate factors unless a scenario says otherwise. */
  public static final double DEFAULT_BIN_USAGE_SPREAD = 0.2;

  /** The largest spread accepted: a factor of e^2 (7.4x) either way is one standard deviation. */
  public static final double MAX_BIN_USAGE_SPREAD = 2;

  public ModelSettings {
    plants = Plants.orNone(plants);
    checkBinUsageSpread(binUsageSpread);
  }

  /**
   * @throws IllegalArgumentException naming the setting when {@code spread} is not between 0 and
   *     {@link #MAX_BIN_USAGE_SPREAD}
   */
  public static void checkBinUsageSpread(double spread) {
    if (!(spread >= 0 && spread <= MAX_BIN_USAGE_SPREAD)) {
      throw new IllegalArgumentException(
          "the bins' usage spread must be between 0 and "
              + MAX_BIN_USAGE_SPREAD
              + ", got "
              + spread);
    }
  }

  /** Settings with the default spread of the bins' use. */
  public ModelSettings(
      double initialFillMinPct,
      double initialFillMaxPct,
      double fillRateScale,
      LocalDate collectionDay,
      double potholesPerPavementYear,
      Plants plants,
      PlannedCollections planned) {
    this(
        initialFillMinPct,
        initialFillMaxPct,
        fillRateScale,
        collectionDay,
        potholesPerPavementYear,
        plants,
        planned,
        DEFAULT_BIN_USAGE_SPREAD);
  }

  /** Settings with plants, on fixed rounds. */
  public ModelSettings(
      double initialFillMinPct,
      double initialFillMaxPct,
      double fillRateScale,
      LocalDate collectionDay,
      double potholesPerPavementYear,
      Plants plants) {
    this(
        initialFillMinPct,
        initialFillMaxPct,
        fillRateScale,
        collectionDay,
        potholesPerPavementYear,
        plants,
        null);
  }

  /** Settings without plants. */
  public ModelSettings(
      double initialFillMinPct,
      double initialFillMaxPct,
      double fillRateScale,
      LocalDate collectionDay,
      double potholesPerPavementYear) {
    this(
        initialFillMinPct,
        initialFillMaxPct,
        fillRateScale,
        collectionDay,
        potholesPerPavementYear,
        Plants.NONE);
  }

  /** These settings with {@code plants}. */
  public ModelSettings withPlants(Plants plants) {
    return new ModelSettings(
        initialFillMinPct,
        initialFillMaxPct,
        fillRateScale,
        collectionDay,
        potholesPerPavementYear,
        plants,
        planned,
        binUsageSpread);
  }

  /** These settings with the bins emptied as {@code planned} says instead of on fixed rounds. */
  public ModelSettings withPlanned(PlannedCollections planned) {
    return new ModelSettings(
        initialFillMinPct,
        initialFillMaxPct,
        fillRateScale,
        collectionDay,
        potholesPerPavementYear,
        plants,
        planned,
        binUsageSpread);
  }

  /** These settings with the bins of a street used as unevenly as {@code spread} says. */
  public ModelSettings withBinUsageSpread(double spread) {
    return new ModelSettings(
        initialFillMinPct,
        initialFillMaxPct,
        fillRateScale,
        collectionDay,
        potholesPerPavementYear,
        plants,
        planned,
        spread);
  }

  /** Settings for an ordinary day. */
  public static ModelSettings natural() {
    return new ModelSettings(5, 60, 1, null, 1);
  }
}
