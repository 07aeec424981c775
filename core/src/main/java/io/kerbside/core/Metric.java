package io.kerbside.core;

import static io.kerbside.core.DeviceKind.BIN;
import static io.kerbside.core.DeviceKind.PAVEMENT;
import static io.kerbside.core.DeviceKind.STREETLIGHT;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A measured quantity, with its unit in its name. The code is both the native payload field and the
 * column of {@code kerbside.reading}; the range is what the physical sensor can report, so a value
 * outside it is a fault, never an event.
 */
public enum Metric {
  FILL_PCT("fill_pct", 0, 100, EnumSet.of(BIN)),
  DISTANCE_MM("distance_mm", 0, 10_000, EnumSet.of(BIN)),
  TEMP_C("temp_c", -50, 200, EnumSet.of(BIN)),
  TILT_DEG("tilt_deg", 0, 180, EnumSet.of(BIN)),
  BATTERY_V("battery_v", 0, 60, EnumSet.of(BIN, PAVEMENT)),
  LAMP_ON("lamp_on", 0, 1, EnumSet.of(STREETLIGHT), true),
  DIM_PCT("dim_pct", 0, 100, EnumSet.of(STREETLIGHT)),
  POWER_W("power_w", 0, 5_000, EnumSet.of(STREETLIGHT)),
  VOLTAGE_V("voltage_v", 0, 500, EnumSet.of(STREETLIGHT)),
  CURRENT_A("current_a", 0, 50, EnumSet.of(STREETLIGHT)),
  ENERGY_WH("energy_wh", 0, 1e12, EnumSet.of(STREETLIGHT)),
  BURN_HOURS("burn_hours", 0, 1e6, EnumSet.of(STREETLIGHT)),
  LUX("lux", 0, 200_000, EnumSet.of(STREETLIGHT)),
  SURFACE_TEMP_C("surface_temp_c", -60, 90, EnumSet.of(PAVEMENT)),
  AIR_TEMP_C("air_temp_c", -60, 60, EnumSet.of(PAVEMENT)),
  MOISTURE_PCT("moisture_pct", 0, 100, EnumSet.of(PAVEMENT)),
  WATER_FILM_MM("water_film_mm", 0, 100, EnumSet.of(PAVEMENT)),
  VIBRATION_G("vibration_g", 0, 100, EnumSet.of(PAVEMENT)),
  CRACK_MM("crack_mm", 0, 1_000, EnumSet.of(PAVEMENT));

  private static final Map<String, Metric> BY_CODE = new HashMap<>();

  static {
    for (Metric m : values()) {
      BY_CODE.put(m.code, m);
    }
  }

  private final String code;
  private final double min;
  private final double max;
  private final Set<DeviceKind> kinds;
  private final boolean flag;

  Metric(String code, double min, double max, Set<DeviceKind> kinds) {
    this(code, min, max, kinds, false);
  }

  Metric(String code, double min, double max, Set<DeviceKind> kinds, boolean flag) {
    this.code = code;
    this.min = min;
    this.max = max;
    this.kinds = kinds;
    this.flag = flag;
  }

  /** Payload field and database column name, e.g. {@code fill_pct}. */
  public String code() {
    return code;
  }

  /** True when the sensor can physically report {@code value}. */
  public boolean inRange(double value) {
    return value >= min && value <= max;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  /** True for on/off metrics, carried as JSON booleans and stored as 0 or 1. */
  public boolean isFlag() {
    return flag;
  }

  /** True when a device of {@code kind} reports this metric. */
  public boolean appliesTo(DeviceKind kind) {
    return kinds.contains(kind);
  }

  public static Optional<Metric> fromCode(String code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }
}
