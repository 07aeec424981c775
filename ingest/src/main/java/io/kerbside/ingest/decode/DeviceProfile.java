package io.kerbside.ingest.decode;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.util.Map;
import java.util.Set;

/**
 * How the decoded payload of one device model maps to Kerbside metrics, loaded from a profile file
 * (see {@code docs/formats.md}). Immutable.
 *
 * @param name unique name, e.g. {@code milesight-em400-udl}
 * @param kind the kind of asset the device reports on
 * @param chirpstackDeviceProfiles ChirpStack device-profile names this profile applies to
 * @param ttnApplications The Things Stack application ids this profile applies to
 * @param ttnModels The Things Stack {@code version_ids} as {@code brand_id/model_id}
 * @param senmlBaseNames prefixes of a SenML pack's base name ({@code bn}) this profile maps; they
 *     choose the mapping only, never the device
 * @param fields decoded field name (for SenML the record's {@code n}) to metric
 * @param nativeMetrics when true, fields already named as a {@link Metric} code map to it directly
 * @param binDepthMm bin depth in mm to derive {@code fill_pct} from {@code distance_mm}; 0 for none
 */
record DeviceProfile(
    String name,
    DeviceKind kind,
    Set<String> chirpstackDeviceProfiles,
    Set<String> ttnApplications,
    Set<String> ttnModels,
    Set<String> senmlBaseNames,
    Map<String, Field> fields,
    boolean nativeMetrics,
    double binDepthMm) {

  /**
   * One decoded field.
   *
   * @param metric the metric it feeds
   * @param unit the unit of bare numbers (a {@link Units} symbol); empty for the metric's own unit.
   *     Text such as {@code "2000 mm"} carries its own unit.
   * @param notMeasured texts that mean "no measurement" (e.g. {@code "No Sensor"}): kept as extra
   */
  record Field(Metric metric, String unit, Set<String> notMeasured) {}
}
