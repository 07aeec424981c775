package io.kerbside.sim.weather;

/**
 * The town's weather at one instant.
 *
 * @param airTempC air temperature, degrees C
 * @param rainMmPerHour rainfall rate, mm per hour, 0 when dry
 * @param cloudCover 0 (clear sky) to 1 (overcast)
 * @param windMs wind speed, metres per second
 * @param solarFactor strength of direct sunshine on a level surface, 0 at night to about 0.95 at
 *     midsummer noon, before cloud
 * @param daylight true between sunrise and sunset at the town centre
 */
public record WeatherState(
    double airTempC,
    double rainMmPerHour,
    double cloudCover,
    double windMs,
    double solarFactor,
    boolean daylight) {}
