package io.kerbside.ingest.decode;

/**
 * The fill of a bin from a top-mounted distance sensor, which sees the refuse surface: fill is the
 * part of the bin's depth that is not empty space.
 */
public final class BinFill {
  private BinFill() {}

  /**
   * Percent full, clamped to 0..100 because a reflection from below the rim (a bin deeper than
   * configured) is not a negative fill.
   *
   * @param depthMm the bin's depth, above 0
   * @param distanceMm the measured distance from the sensor to the surface
   */
  public static double percent(double depthMm, double distanceMm) {
    double pct = 100 * (depthMm - distanceMm) / depthMm;
    return Math.max(0, Math.min(100, pct));
  }
}
