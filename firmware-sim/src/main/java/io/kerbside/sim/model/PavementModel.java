package io.kerbside.sim.model;

import io.kerbside.core.Metric;
import io.kerbside.sim.ConditionType;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.PavementDetails;
import io.kerbside.sim.weather.LocalClock;
import io.kerbside.sim.weather.WeatherModel;
import io.kerbside.sim.weather.WeatherState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A pavement section with an embedded sensor.
 *
 * <p>The surface temperature follows the air with a lag of an hour or two, warmed by sunshine by
 * day (dark asphalt most, shade least) and cooled below the air by a clear night sky, so a clear
 * winter night takes it below zero. Rain wets it (water film and moisture); it dries by
 * evaporation, hardly at all while frozen. Traffic makes it vibrate more by day; its roughness and
 * crack width grow slowly, faster with each freeze-thaw cycle, and now and then jump when a pothole
 * forms. A surface at or below 0 degrees C while wet is ice; at or below +1 degrees C while wet it
 * is at risk of ice, the state a council grits for.
 *
 * <p>The air temperature is measured just above the surface, so a surface much colder than the
 * region's air (a frost hollow, a section freezing on its own) chills the air the sensor reads: it
 * never reads more than {@link #AIR_ABOVE_COLD_SURFACE_C} above the surface. Without that, a
 * freezing section under mild air would report a surface colder than the air by more than the
 * street can produce, which Kerbside rightly calls a sensor fault.
 */
final class PavementModel implements DeviceModel {
  static final Duration REPORT_INTERVAL = Duration.ofMinutes(10);

  /** Water film (mm) from which a frozen surface counts as icy. */
  static final double ICE_FILM_MM = 0.05;

  /** Moisture (%) from which a frozen surface counts as icy. */
  static final double ICE_MOISTURE_PCT = 60;

  /**
   * Surface temperature (degrees C) at or below which a wet surface is at risk of ice: the margin
   * UK highway authorities grit on (a wet road at or below +1 degrees C).
   */
  static final double GRITTING_SURFACE_C = 1;

  /** The surface temperature sensor's noise, one standard deviation, degrees C. */
  static final double SURFACE_NOISE_C = 0.1;

  /**
   * The top of the {@code wet-near-freezing} condition: the gritting threshold plus the sensor's
   * accuracy (two standard deviations), so that a reading at the threshold is the surface it read.
   */
  static final double NEAR_FREEZING_C = GRITTING_SURFACE_C + 2 * SURFACE_NOISE_C;

  /** The most the air at the sensor is warmer than the surface it sits on, degrees C. */
  static final double AIR_ABOVE_COLD_SURFACE_C = 8;

  private static final long MAX_STEP_MS = 5 * 60_000;
  private static final double MAX_FILM_MM = 1.5;
  private static final double BATTERY_DRAIN_V_PER_DAY = 0.001;
  private static final double[] TRAFFIC = {
    0.15, 0.15, 0.15, 0.15, 0.15, 0.2, 0.5, 1.0, 1.0, 1.0, 0.7, 0.7, 0.7, 0.7, 0.7, 0.8, 1.0, 1.0,
    1.0, 0.5, 0.5, 0.5, 0.4, 0.25
  };

  private final Asset asset;
  private final PavementDetails details;
  private final WeatherModel weather;
  private final LocalClock clock;
  private final SplittableRandom rng;
  private final double potholesPerYear;
  private final Battery battery;
  private Instant plannedPothole;

  private Instant last;
  private double surfaceC;
  private double filmMm;
  private double dampPct = 20;
  private double roughnessG;
  private double crackMm;
  private boolean belowZero;
  private int freezeThawCycles;
  private Instant iceSince;
  private Instant nearFreezingSince;
  private Instant freezingFrom;
  private Instant freezingUntil;

  PavementModel(
      Asset asset,
      WeatherModel weather,
      ModelSettings settings,
      ZoneId zone,
      Instant start,
      SplittableRandom rng) {
    this.asset = asset;
    this.details = asset.pavement();
    this.weather = weather;
    this.clock = new LocalClock(zone);
    this.rng = rng;
    this.potholesPerYear = settings.potholesPerPavementYear();
    this.battery = new Battery(rng, start, BATTERY_DRAIN_V_PER_DAY);
    this.roughnessG = Seeds.between(rng, 0.05, 0.4);
    this.crackMm = Seeds.between(rng, 0.2, 4);
    this.last = start;
    this.surfaceC = equilibriumC(weather.at(start));
    this.belowZero = surfaceC < 0;
    this.plannedPothole = settings.plants().potholeAt(asset.index());
  }

  @Override
  public Asset asset() {
    return asset;
  }

  @Override
  public Duration reportInterval() {
    return REPORT_INTERVAL;
  }

  /** The true surface temperature, without sensor noise. */
  double surfaceC() {
    return surfaceC;
  }

  /** The true water film, mm. */
  double filmMm() {
    return filmMm;
  }

  @Override
  public void advanceTo(Instant t, double[] values, ConditionSink conditions) {
    long totalMs = Duration.between(last, t).toMillis();
    if (totalMs > 0) {
      int steps = (int) Math.ceil((double) totalMs / MAX_STEP_MS);
      double stepHours = totalMs / 3_600_000.0 / steps;
      for (int i = 0; i < steps; i++) {
        Instant mid = last.plusMillis((long) ((i + 0.5) * stepHours * 3_600_000));
        step(mid, stepHours, conditions);
      }
      last = t;
    }
    if (freezingUntil != null && !t.isBefore(freezingUntil)) {
      freezingFrom = null;
      freezingUntil = null;
    }
    WeatherState w = weather.at(t);
    double moisture = moisturePct();
    boolean wet = filmMm >= ICE_FILM_MM || moisture >= ICE_MOISTURE_PCT;
    iceSince = track(ConditionType.SURFACE_ICE, wet && surfaceC <= 0, iceSince, t, conditions);
    nearFreezingSince =
        track(
            ConditionType.WET_NEAR_FREEZING,
            wet && surfaceC <= NEAR_FREEZING_C,
            nearFreezingSince,
            t,
            conditions);
    int hour = (int) clock.hourOfDay(t);
    double vibration =
        roughnessG * (0.4 + 0.6 * TRAFFIC[hour]) + Math.abs(0.01 * Seeds.gaussian(rng));

    SimReading.put(values, Metric.SURFACE_TEMP_C, surfaceC + SURFACE_NOISE_C * Seeds.gaussian(rng));
    double airC = Math.min(w.airTempC(), surfaceC + AIR_ABOVE_COLD_SURFACE_C);
    SimReading.put(values, Metric.AIR_TEMP_C, airC + 0.2 * Seeds.gaussian(rng));
    SimReading.put(values, Metric.MOISTURE_PCT, moisture + 0.5 * Seeds.gaussian(rng));
    SimReading.put(values, Metric.WATER_FILM_MM, filmMm);
    SimReading.put(values, Metric.VIBRATION_G, vibration);
    SimReading.put(values, Metric.CRACK_MM, crackMm + 0.02 * Seeds.gaussian(rng));
    SimReading.put(values, Metric.BATTERY_V, battery.readV(t, w.airTempC()));
  }

  /** Records a condition that ended at {@code t}; returns when the current one began, or null. */
  private Instant track(
      ConditionType type, boolean holds, Instant since, Instant t, ConditionSink conditions) {
    if (holds) {
      return since == null ? t : since;
    }
    if (since != null) {
      conditions.condition(type, asset, since, t, Map.of());
    }
    return null;
  }

  private void step(Instant mid, double hours, ConditionSink conditions) {
    WeatherState w = weather.at(mid);
    double target = equilibriumC(w);
    double tau = details.surface().responseHours();
    if (freezingAt(mid)) {
      target = Math.min(target - 4, -3);
      tau = 1.0 / 3;
      filmMm = Math.max(filmMm, 0.6);
    }
    surfaceC += (target - surfaceC) * (1 - Math.exp(-hours / tau));

    if (w.rainMmPerHour() > 0) {
      filmMm = Math.min(MAX_FILM_MM, filmMm + w.rainMmPerHour() * hours);
      dampPct = 100 - (100 - dampPct) * Math.exp(-hours / 0.3);
    } else {
      double evaporationMmPerHour =
          surfaceC <= 0
              ? 0.004
              : 0.015
                  + 0.012 * surfaceC
                  + 0.015 * w.windMs()
                  + 0.3 * w.solarFactor() * (1 - w.cloudCover());
      filmMm = Math.max(0, filmMm - evaporationMmPerHour * hours);
      double dryingHours = surfaceC > 0 ? 8 : 20;
      dampPct = 12 + (dampPct - 12) * Math.exp(-hours / dryingHours);
    }

    if (surfaceC < -0.5) {
      belowZero = true;
    } else if (belowZero && surfaceC > 0.5) {
      belowZero = false;
      freezeThawCycles++;
      crackMm += 0.05;
      roughnessG += 0.005;
    }
    roughnessG += 0.002 / 24 * hours;
    crackMm += 0.002 / 24 * hours;

    if (potholesPerYear > 0) {
      double perHour =
          potholesPerYear / 8_766 * (1 + 3 * Math.min(freezeThawCycles, 5)) * (1 + roughnessG);
      if (rng.nextDouble() < 1 - Math.exp(-perHour * hours)) {
        pothole(mid, Seeds.between(rng, 0.3, 1.0), Seeds.between(rng, 3, 10), conditions);
      }
    }
    if (plannedPothole != null && !mid.isBefore(plannedPothole)) {
      // a planned pothole is a clear one: well above the usual traffic, a crack a crew would mark
      pothole(plannedPothole, 0.8, 8, conditions);
      plannedPothole = null;
    }
  }

  private void pothole(Instant at, double jumpG, double jumpMm, ConditionSink conditions) {
    roughnessG += jumpG;
    crackMm += jumpMm;
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("vibration_jump_g", Math.round(jumpG * 1000) / 1000.0);
    detail.put("crack_jump_mm", Math.round(jumpMm * 100) / 100.0);
    conditions.condition(ConditionType.POTHOLE, asset, at, null, detail);
  }

  private boolean freezingAt(Instant t) {
    return freezingFrom != null
        && !t.isBefore(freezingFrom)
        && (freezingUntil == null || t.isBefore(freezingUntil));
  }

  /** The temperature the surface tends to under this weather. */
  private double equilibriumC(WeatherState w) {
    double sun =
        18
            * w.solarFactor()
            * (1 - 0.7 * w.cloudCover())
            * details.surface().solarAbsorption()
            * (1 - 0.7 * details.shade());
    double skyCooling =
        w.daylight() ? 0 : (1 - w.cloudCover()) * (1.5 + 2.5 * (1 - details.shade()));
    return w.airTempC() + sun - skyCooling + 0.4;
  }

  private double moisturePct() {
    double fromFilm = filmMm > 0.02 ? 60 + 40 * Math.min(1, filmMm / 0.5) : 0;
    return Math.max(dampPct, fromFilm);
  }

  @Override
  public void setFault(FaultType type, boolean active, Instant at) {
    switch (type) {
      case PAVEMENT_FREEZING -> {
        if (active) {
          freezingFrom = at;
          freezingUntil = null;
        } else if (freezingFrom != null) {
          freezingUntil = at;
        }
      }
      case LOW_BATTERY -> battery.setLow(active, at);
      default -> throw new IllegalArgumentException("a pavement cannot have " + type.code());
    }
  }

  @Override
  public void finish(Instant end, ConditionSink conditions) {
    if (iceSince != null) {
      conditions.condition(ConditionType.SURFACE_ICE, asset, iceSince, end, Map.of());
      iceSince = null;
    }
    if (nearFreezingSince != null) {
      conditions.condition(
          ConditionType.WET_NEAR_FREEZING, asset, nearFreezingSince, end, Map.of());
      nearFreezingSince = null;
    }
  }
}
