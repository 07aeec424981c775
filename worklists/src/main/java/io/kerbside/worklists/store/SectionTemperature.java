package io.kerbside.worklists.store;

import io.kerbside.worklists.Place;

/**
 * A pavement section with its recent surface temperatures.
 *
 * @param latestC the latest surface temperature in the window, °C; null when none
 * @param slopeCPerHour its least-squares trend over the window, °C per hour; null when fewer than
 *     two readings
 * @param points how many readings the trend is fitted to
 */
public record SectionTemperature(
    Place place,
    String pavementUse,
    String streetType,
    Double latestC,
    Double slopeCPerHour,
    int points) {}
