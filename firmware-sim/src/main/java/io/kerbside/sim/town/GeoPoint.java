package io.kerbside.sim.town;

/**
 * A point on the ground, WGS 84.
 *
 * @param latitude degrees north
 * @param longitude degrees east
 */
public record GeoPoint(double latitude, double longitude) {
  private static final double METRES_PER_DEGREE = 111_320;

  /** The point {@code eastM} metres east and {@code northM} metres north of this one. */
  public GeoPoint offsetMetres(double eastM, double northM) {
    double lat = latitude + northM / METRES_PER_DEGREE;
    double lon = longitude + eastM / (METRES_PER_DEGREE * Math.cos(Math.toRadians(latitude)));
    return new GeoPoint(round6(lat), round6(lon));
  }

  /** Distance to {@code other} in metres (equirectangular; exact enough within a town). */
  public double distanceMetres(GeoPoint other) {
    double meanLat = Math.toRadians((latitude + other.latitude) / 2);
    double dx = (other.longitude - longitude) * METRES_PER_DEGREE * Math.cos(meanLat);
    double dy = (other.latitude - latitude) * METRES_PER_DEGREE;
    return Math.hypot(dx, dy);
  }

  /** Six decimals: about 0.1 m, as asset registers record positions. */
  private static double round6(double degrees) {
    return Math.round(degrees * 1e6) / 1e6;
  }
}
