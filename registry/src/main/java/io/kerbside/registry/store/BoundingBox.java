package io.kerbside.registry.store;

/** A WGS 84 rectangle, in degrees; does not cross the antimeridian. */
public record BoundingBox(double minLon, double minLat, double maxLon, double maxLat) {
  public BoundingBox {
    if (!(minLon >= -180 && maxLon <= 180 && minLat >= -90 && maxLat <= 90)
        || minLon > maxLon
        || minLat > maxLat) {
      throw new IllegalArgumentException(
          "bbox must be minLon,minLat,maxLon,maxLat in degrees with min <= max");
    }
  }

  /** Parses {@code minLon,minLat,maxLon,maxLat}. */
  public static BoundingBox parse(String text) {
    String[] p = text.split(",");
    if (p.length != 4) {
      throw new IllegalArgumentException("bbox must be minLon,minLat,maxLon,maxLat");
    }
    try {
      return new BoundingBox(
          Double.parseDouble(p[0].strip()),
          Double.parseDouble(p[1].strip()),
          Double.parseDouble(p[2].strip()),
          Double.parseDouble(p[3].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bbox must be four numbers: minLon,minLat,maxLon,maxLat");
    }
  }
}
