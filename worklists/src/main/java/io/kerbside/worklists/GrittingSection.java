package io.kerbside.worklists;

/**
 * A pavement section on tonight's gritting list.
 *
 * @param alert its active ice-risk alert; null when only the trend puts it on the list
 * @param surfaceTempC its latest surface temperature, °C; null when none was read lately
 * @param trendCPerHour the surface temperature's least-squares trend, °C per hour; null if unknown
 * @param hoursToFreezing estimated hours until the surface reaches the freezing setting; 0 when it
 *     already has
 * @param footfall the section's footfall class ({@link Footfall})
 */
public record GrittingSection(
    Place place,
    AlertItem alert,
    Double surfaceTempC,
    Double trendCPerHour,
    double hoursToFreezing,
    Footfall footfall,
    String pavementUse) {}
