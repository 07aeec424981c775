package io.kerbside.sim.model;

import io.kerbside.core.Metric;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.LampType;
import io.kerbside.sim.town.StreetlightDetails;
import io.kerbside.sim.weather.LocalClock;
import io.kerbside.sim.weather.SunWindow;
import io.kerbside.sim.weather.WeatherModel;
import io.kerbside.sim.weather.WeatherState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.SplittableRandom;

/**
 * A streetlight with a photocell and a metering controller.
 *
 * <p>The lamp switches on a few minutes (0 to 15, its photocell's own delay) after sunset and off
 * as long before sunrise, computed for its own position and date, so it is lit only while the sun
 * is down. While lit it follows its dimming profile; it reports whether it is on, its dimming
 * level, the power and current it draws, the supply voltage, its cumulative energy and burning
 * hours (integrated minute by minute, so they grow only while it draws power) and the ambient light
 * its photocell sees.
 */
final class StreetlightModel implements DeviceModel {
  static final Duration REPORT_INTERVAL = Duration.ofMinutes(10);

  /** The longest a photocell waits after sunset, or switches off before sunrise. */
  static final Duration MAX_PHOTOCELL_DELAY = Duration.ofMinutes(15);

  private static final long MAX_STEP_MS = 60_000;

  private enum Mode {
    NORMAL,
    FAILED,
    DAY_BURNER,
    CYCLING
  }

  private final Asset asset;
  private final StreetlightDetails details;
  private final WeatherModel weather;
  private final ZoneId zone;
  private final LocalClock clock;
  private final SplittableRandom rng;
  private final long cycleSeed;
  private final Duration onDelay;
  private final Duration offAdvance;
  private final double standbyW;

  private Instant last;
  private double energyWh;
  private double burnHours;
  private Mode faultMode = Mode.NORMAL;
  private Instant faultFrom;
  private Instant faultUntil;
  private SunWindow sun;

  StreetlightModel(
      Asset asset, WeatherModel weather, ZoneId zone, Instant start, SplittableRandom rng) {
    this.asset = asset;
    this.details = asset.streetlight();
    this.weather = weather;
    this.zone = zone;
    this.clock = new LocalClock(zone);
    this.rng = rng;
    this.cycleSeed = rng.nextLong();
    long maxDelayS = MAX_PHOTOCELL_DELAY.toSeconds();
    this.onDelay = Duration.ofSeconds(rng.nextLong(maxDelayS + 1));
    this.offAdvance = Duration.ofSeconds(rng.nextLong(maxDelayS + 1));
    this.standbyW = details.lampType() == LampType.LED ? 0.3 : 0.1;
    double ageYears = Seeds.between(rng, 0.2, 6);
    this.burnHours = ageYears * 4_150;
    this.energyWh = burnHours * details.ratedPowerW() * 0.85;
    this.last = start;
  }

  @Override
  public Asset asset() {
    return asset;
  }

  @Override
  public Duration reportInterval() {
    return REPORT_INTERVAL;
  }

  @Override
  public void advanceTo(Instant t, double[] values, ConditionSink conditions) {
    long totalMs = Duration.between(last, t).toMillis();
    if (totalMs > 0) {
      int steps = (int) Math.ceil((double) totalMs / MAX_STEP_MS);
      double stepMs = (double) totalMs / steps;
      for (int i = 0; i < steps; i++) {
        Instant mid = last.plusMillis((long) ((i + 0.5) * stepMs));
        double hours = stepMs / 3_600_000.0;
        energyWh += powerW(mid) * hours;
        if (lampOn(mid) && modeAt(mid) != Mode.FAILED) {
          burnHours += hours;
        }
      }
      last = t;
    }
    if (faultUntil != null && !t.isBefore(faultUntil)) {
      faultMode = Mode.NORMAL;
      faultUntil = null;
    }
    boolean on = lampOn(t);
    double dim = on ? dimPct(t) : 0;
    double power = powerW(t) * (1 + 0.01 * Seeds.gaussian(rng));
    double hour = clock.hourOfDay(t);
    double voltage = 230 + 3 * Math.sin(2 * Math.PI * (hour - 4) / 24) + 0.8 * Seeds.gaussian(rng);
    double current = power / (voltage * details.lampType().powerFactor());

    values[Metric.LAMP_ON.ordinal()] = on ? 1 : 0;
    SimReading.put(values, Metric.DIM_PCT, dim);
    SimReading.put(values, Metric.POWER_W, power);
    SimReading.put(values, Metric.VOLTAGE_V, voltage);
    SimReading.put(values, Metric.CURRENT_A, current);
    SimReading.put(values, Metric.ENERGY_WH, energyWh);
    SimReading.put(values, Metric.BURN_HOURS, burnHours);
    SimReading.put(values, Metric.LUX, ambientLux(t));
  }

  /** True while the photocell says night: after sunset plus its delay, before sunrise less it. */
  boolean isNight(Instant t) {
    SunWindow w = sunOn(clock.date(t));
    return t.isBefore(w.rise().minus(offAdvance)) || !t.isBefore(w.set().plus(onDelay));
  }

  /** Whether the controller reports the lamp switched on. */
  private boolean lampOn(Instant t) {
    return switch (modeAt(t)) {
      case NORMAL, FAILED -> isNight(t);
      case DAY_BURNER -> true;
      case CYCLING -> isNight(t) && cyclingLit(t);
    };
  }

  /** An end-of-life lamp: lit and out in spells of about seven minutes, the same for any run. */
  private boolean cyclingLit(Instant t) {
    long spell = Math.floorDiv(t.getEpochSecond(), 420);
    return Seeds.unit(cycleSeed, spell, 0) < 0.55;
  }

  private double dimPct(Instant t) {
    if (!isNight(t)) {
      return 100;
    }
    return details.dimming().dimPct(clock.local(t).toLocalTime());
  }

  /** The fault mode in force at {@code t}: a fault counts from its start to its end only. */
  private Mode modeAt(Instant t) {
    if (faultMode == Mode.NORMAL
        || t.isBefore(faultFrom)
        || (faultUntil != null && !t.isBefore(faultUntil))) {
      return Mode.NORMAL;
    }
    return faultMode;
  }

  private double powerW(Instant t) {
    boolean on = lampOn(t);
    if (!on) {
      return standbyW;
    }
    if (modeAt(t) == Mode.FAILED) {
      return standbyW + 0.2;
    }
    double gearLoss =
        switch (details.lampType()) {
          case LED -> 1.0;
          case SON -> 1.1;
          case CMH -> 1.08;
        };
    return standbyW + details.ratedPowerW() * dimPct(t) / 100 * gearLoss;
  }

  private double ambientLux(Instant t) {
    SunWindow w = sunOn(clock.date(t));
    double lux;
    if (w.isDaylight(t)) {
      WeatherState s = weather.at(t);
      lux = Math.max(400, 100_000 * s.solarFactor() * (1 - 0.75 * s.cloudCover()));
    } else {
      long fromSet = Math.abs(Duration.between(w.set(), t).toMinutes());
      long toRise = Math.abs(Duration.between(t, w.rise()).toMinutes());
      long minutes = Math.min(fromSet, toRise);
      lux = 400 * Math.exp(-minutes / 12.0) + 2;
    }
    return lux * (1 + 0.02 * Seeds.gaussian(rng));
  }

  private SunWindow sunOn(LocalDate date) {
    if (sun == null || !sun.date().equals(date)) {
      sun = SunWindow.of(date, asset.location().latitude(), asset.location().longitude(), zone);
    }
    return sun;
  }

  @Override
  public void setFault(FaultType type, boolean active, Instant at) {
    Mode m =
        switch (type) {
          case LAMP_FAILURE -> Mode.FAILED;
          case DAY_BURNER -> Mode.DAY_BURNER;
          case CYCLING_LAMP -> Mode.CYCLING;
          default -> throw new IllegalArgumentException("a streetlight cannot have " + type.code());
        };
    if (active) {
      faultMode = m;
      faultFrom = at;
      faultUntil = null;
    } else if (faultMode == m) {
      faultUntil = at;
    }
  }
}
