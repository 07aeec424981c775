package io.kerbside.sim.model;

import io.kerbside.core.Metric;
import io.kerbside.sim.ConditionType;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.PlannedCollections;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.BinDetails;
import io.kerbside.sim.town.StreetType;
import io.kerbside.sim.weather.LocalClock;
import io.kerbside.sim.weather.WeatherModel;
import io.kerbside.sim.weather.WeatherState;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A litter bin with an ultrasonic fill sensor, a thermometer, a tilt sensor and a battery.
 *
 * <p>Fill rises at a rate set by the street (a high street fills fastest, peaking at lunchtime and
 * on Saturdays; residential bins fill slowly, morning and evening; parks in the afternoon and at
 * weekends, more in summer), scaled by a factor of the bin's own ({@link #usageFactor}: how busy
 * its spot is, spread as {@link ModelSettings#binUsageSpread()} says); it stops at 100 % and drops
 * to 0-3 % when the collection round empties the bin. The sensor reports the fill, the distance
 * from the lid to the surface of the rubbish, the temperature (the air's, warmed by sunshine on the
 * lid), the tilt and the battery voltage, which drains slowly and reads lower in the cold.
 *
 * <p>A bin that stays above {@link #OVERDUE_PCT} for longer than {@link #OVERDUE_AFTER} is overdue
 * for emptying (the council's service standard), recorded as {@code bin-not-collected} from the
 * moment it became overdue until it is emptied. A bin the scenario plants as missed by the rounds
 * ({@link Plants.MissedBin}) fills at a steady rate and is never emptied.
 *
 * <p>With {@link ModelSettings#planned()} the bin is emptied at the ETAs its plans give it and
 * never otherwise. Rubbish brought to a full bin does not fit; it is recorded as {@code
 * bin-overflowing}, from the moment the bin reached 100 % until it is emptied (or the run ends),
 * with the peak fill it would have had: what was brought to it since its last emptying, in percent
 * of its capacity.
 */
final class BinModel implements DeviceModel {
  static final Duration REPORT_INTERVAL = Duration.ofMinutes(15);
  static final double FULL_PCT = 90;

  /** Above this fill for longer than {@link #OVERDUE_AFTER} a bin is overdue for emptying. */
  static final double OVERDUE_PCT = 70;

  static final Duration OVERDUE_AFTER = Duration.ofHours(48);
  private static final double SENSOR_OFFSET_MM = 30;
  private static final double MAX_STEP_HOURS = 0.25;
  private static final double BATTERY_DRAIN_V_PER_DAY = 0.0015;

  /** Relative activity per local hour 0..23, by street type. */
  private static final double[][] HOURLY = {
    // HIGH_STREET
    {
      0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.4, 0.6, 0.7, 0.8, 1.0, 1.3, 1.3, 1.1, 0.9, 0.9,
      1.1, 1.1, 1.0, 0.7, 0.6, 0.4, 0.2
    },
    // MAIN_ROAD
    {
      0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.8, 1.1, 1.2, 1.0, 0.8, 0.8, 0.9, 0.8, 0.8, 0.9, 1.2, 1.2, 1.1,
      0.9, 0.5, 0.4, 0.3, 0.2
    },
    // RESIDENTIAL
    {
      0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.6, 1.2, 1.2, 0.8, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.7, 1.2,
      1.2, 1.2, 1.0, 0.6, 0.3, 0.1
    },
    // PARK
    {
      0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.05, 0.1, 0.4, 0.4, 0.6, 1.1, 1.4, 1.4, 1.4, 1.4, 1.3,
      1.2, 0.9, 0.7, 0.4, 0.2, 0.1, 0.05
    }
  };

  private final Asset asset;
  private final BinDetails details;
  private final WeatherModel weather;
  private final ZoneId zone;
  private final LocalClock clock;
  private final SplittableRandom rng;
  private final LocalDate collectionDay;
  private final PlannedCollections planned;
  private final double ratePctPerHour;
  private final double steadyRatePctPerHour;
  private final double baseTiltDeg;
  private final Battery battery;

  private Instant last;
  private double fillPct;
  private Instant nextCollection;
  private boolean full;
  private Instant fireSince;
  private double fireExcessC;
  private boolean knockedOver;
  private double knockedDistanceMm;
  private Instant overSince;
  private Instant fullSince;
  private double fullPeakPct;
  private Instant overflowSince;
  private double overflowPct;

  BinModel(
      Asset asset,
      WeatherModel weather,
      ModelSettings settings,
      ZoneId zone,
      Instant start,
      SplittableRandom rng) {
    this.asset = asset;
    this.details = asset.bin();
    this.weather = weather;
    this.zone = zone;
    this.clock = new LocalClock(zone);
    this.rng = rng;
    this.collectionDay = settings.collectionDay();
    this.planned = settings.planned();
    this.ratePctPerHour =
        baseRate(asset.streetType())
            * usageFactor(settings.binUsageSpread(), Seeds.gaussian(rng))
            * settings.fillRateScale();
    this.fillPct = Seeds.between(rng, settings.initialFillMinPct(), settings.initialFillMaxPct());
    this.full = fillPct >= FULL_PCT;
    this.baseTiltDeg = Seeds.between(rng, 0.5, 3);
    this.battery = new Battery(rng, start, BATTERY_DRAIN_V_PER_DAY);
    this.last = start;
    Plants.MissedBin missed = settings.plants().missedBin(asset.index());
    if (missed != null) {
      this.fillPct = missed.startFillPct();
      this.full = fillPct >= FULL_PCT;
      this.steadyRatePctPerHour = missed.ratePctPerHour();
      this.nextCollection = null;
    } else {
      this.steadyRatePctPerHour = Double.NaN;
      this.nextCollection = planned != null ? null : nextCollectionAfter(start);
    }
    if (full) {
      this.fullSince = start;
      this.fullPeakPct = fillPct;
    }
  }

  /**
   * The bin's own factor on its street's fill rate, from a standard normal {@code g}: e^(0.2 g)
   * within 0.6-1.5 with the default spread; with another spread σ, e^(σ g) for g within ±4, scaled
   * so that the factors' mean stays the default's (e^0.02): the town brings as much rubbish, shared
   * out more or less evenly among the bins of a street.
   */
  static double usageFactor(double spread, double g) {
    if (spread == ModelSettings.DEFAULT_BIN_USAGE_SPREAD) {
      return Math.max(0.6, Math.min(1.5, Math.exp(spread * g)));
    }
    double d = ModelSettings.DEFAULT_BIN_USAGE_SPREAD;
    return Math.exp(spread * Math.max(-4, Math.min(4, g)) - (spread * spread - d * d) / 2);
  }

  private static double baseRate(StreetType type) {
    return switch (type) {
      case HIGH_STREET -> 3.2;
      case MAIN_ROAD -> 1.2;
      case RESIDENTIAL -> 0.7;
      case PARK -> 1.8;
    };
  }

  @Override
  public Asset asset() {
    return asset;
  }

  @Override
  public Duration reportInterval() {
    return REPORT_INTERVAL;
  }

  /** The true fill, without sensor noise. */
  double fillPct() {
    return fillPct;
  }

  @Override
  public void advanceTo(Instant t, double[] values, ConditionSink conditions) {
    double hours = Math.max(0, Duration.between(last, t).toMillis() / 3_600_000.0);
    if (planned != null) {
      Instant next;
      while ((next = planned.nextAfter(asset.assetRef(), last)) != null && !next.isAfter(t)) {
        collect(next, conditions);
      }
    } else {
      while (nextCollection != null && !nextCollection.isAfter(t)) {
        collect(nextCollection, conditions);
        nextCollection = nextCollectionAfter(nextCollection);
      }
    }
    fill(last, t);
    last = t;
    if (overflowSince != null && fillPct < 100) {
      endOverflow(t, conditions);
    }

    WeatherState w = weather.at(t);
    if (fireSince != null) {
      double burning = Duration.between(fireSince, t).toMillis() / 3_600_000.0;
      fireExcessC = Math.max(fireExcessC, Math.min(140, 25 + 90 * burning));
    } else {
      fireExcessC *= Math.exp(-hours);
    }
    double tempC =
        w.airTempC()
            + 4 * w.solarFactor() * (1 - 0.6 * w.cloudCover())
            + fireExcessC
            + 0.3 * Seeds.gaussian(rng);

    if (!full && fillPct >= FULL_PCT) {
      full = true;
      fullSince = t;
    } else if (full && fillPct < FULL_PCT - 10) {
      endFull(t, conditions);
    }
    if (full) {
      fullPeakPct = Math.max(fullPeakPct, fillPct);
    }
    if (fillPct >= OVERDUE_PCT && !knockedOver) {
      if (overSince == null) {
        overSince = t;
      }
    } else {
      endOverdue(t, conditions);
    }

    double measuredFill;
    double distanceMm;
    double tiltDeg;
    if (knockedOver) {
      measuredFill = 0;
      distanceMm = knockedDistanceMm + 20 * Seeds.gaussian(rng);
      tiltDeg = 88 + 2 * Seeds.gaussian(rng);
    } else {
      measuredFill = fillPct + 0.4 * Seeds.gaussian(rng);
      distanceMm =
          SENSOR_OFFSET_MM + details.depthMm() * (1 - fillPct / 100) + 3 * Seeds.gaussian(rng);
      tiltDeg = Math.abs(baseTiltDeg + 0.2 * Seeds.gaussian(rng));
    }
    SimReading.put(values, Metric.FILL_PCT, measuredFill);
    SimReading.put(values, Metric.DISTANCE_MM, distanceMm);
    SimReading.put(values, Metric.TEMP_C, tempC);
    SimReading.put(values, Metric.TILT_DEG, tiltDeg);
    SimReading.put(values, Metric.BATTERY_V, battery.readV(t, tempC));
  }

  @Override
  public void setFault(FaultType type, boolean active, Instant at) {
    switch (type) {
      case BIN_FIRE -> fireSince = active ? at : null;
      case BIN_KNOCKED_OVER -> {
        if (active) {
          knockedDistanceMm = Seeds.between(rng, 1_500, 4_000);
        } else if (knockedOver) {
          fillPct *= 0.5;
        }
        knockedOver = active;
      }
      case LOW_BATTERY -> battery.setLow(active, at);
      default -> throw new IllegalArgumentException("a bin cannot have " + type.code());
    }
  }

  /** The crew empties the bin at {@code at}. */
  private void collect(Instant at, ConditionSink conditions) {
    fill(last, at);
    endOverdue(at, conditions);
    endOverflow(at, conditions);
    endFull(at, conditions);
    double before = fillPct;
    fillPct = Seeds.between(rng, 0, 3);
    conditions.condition(
        ConditionType.BIN_COLLECTED, asset, at, null, Map.of("fill_before_pct", round1(before)));
    last = at;
  }

  /** Ends a stretch at or above {@link #FULL_PCT} at {@code t}, recording it. */
  private void endFull(Instant t, ConditionSink conditions) {
    if (fullSince != null) {
      conditions.condition(
          ConditionType.BIN_FULL,
          asset,
          fullSince,
          t,
          Map.of("peak_fill_pct", round1(fullPeakPct)));
    }
    full = false;
    fullSince = null;
    fullPeakPct = 0;
  }

  /** Ends a stretch of overflowing at {@code t}, recording it. */
  private void endOverflow(Instant t, ConditionSink conditions) {
    if (overflowSince == null) {
      return;
    }
    if (t.isAfter(overflowSince)) {
      conditions.condition(
          ConditionType.BIN_OVERFLOWING,
          asset,
          overflowSince,
          t,
          Map.of("peak_fill_pct", round1(100 + overflowPct)));
    }
    overflowSince = null;
    overflowPct = 0;
  }

  /** Ends a stretch above {@link #OVERDUE_PCT} at {@code t}, recording it if it was overdue. */
  private void endOverdue(Instant t, ConditionSink conditions) {
    if (overSince == null) {
      return;
    }
    Instant overdue = overSince.plus(OVERDUE_AFTER);
    if (t.isAfter(overdue)) {
      conditions.condition(
          ConditionType.BIN_NOT_COLLECTED,
          asset,
          overdue,
          t,
          Map.of("above_since", overSince.toString(), "fill_pct", round1(fillPct)));
    }
    overSince = null;
  }

  @Override
  public void finish(Instant end, ConditionSink conditions) {
    endFull(end, conditions);
    endOverdue(end, conditions);
    endOverflow(end, conditions);
  }

  /** Fill accumulated from {@code a} to {@code b}, in steps of at most a quarter hour. */
  private void fill(Instant a, Instant b) {
    long totalMs = Duration.between(a, b).toMillis();
    if (totalMs <= 0) {
      return;
    }
    if (!Double.isNaN(steadyRatePctPerHour)) {
      double added = steadyRatePctPerHour * totalMs / 3_600_000.0;
      if (fillPct + added > 100 && overflowSince == null) {
        double toFullH = Math.max(0, (100 - fillPct) / steadyRatePctPerHour);
        overflowSince = a.plusMillis((long) (toFullH * 3_600_000));
      }
      add(added);
      return;
    }
    int steps = (int) Math.ceil(totalMs / (MAX_STEP_HOURS * 3_600_000));
    double stepHours = totalMs / 3_600_000.0 / steps;
    for (int i = 0; i < steps; i++) {
      Instant mid = a.plusMillis((long) ((i + 0.5) * stepHours * 3_600_000));
      double added = ratePctPerHour * activity(mid) * stepHours;
      if (fillPct + added > 100 && overflowSince == null) {
        overflowSince = a.plusMillis((long) ((i + 1) * stepHours * 3_600_000));
      }
      add(added);
    }
  }

  /** Adds rubbish: up to full; the rest does not fit and overflows. */
  private void add(double pct) {
    double total = fillPct + pct;
    if (total > 100) {
      overflowPct += total - Math.max(100, fillPct);
      fillPct = 100;
    } else {
      fillPct = total;
    }
  }

  /** Relative activity of the bin's street at {@code t}: hour of day, day of week, season. */
  private double activity(Instant t) {
    LocalDateTime local = clock.local(t);
    double[] table = HOURLY[asset.streetType().ordinal()];
    int h = local.getHour();
    double frac = local.getMinute() / 60.0;
    double hourly = table[h] + (table[(h + 1) % 24] - table[h]) * frac;
    DayOfWeek day = local.getDayOfWeek();
    boolean weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
    double weekly =
        switch (asset.streetType()) {
          case HIGH_STREET ->
              day == DayOfWeek.SATURDAY
                  ? 1.4
                  : day == DayOfWeek.FRIDAY ? 1.1 : day == DayOfWeek.SUNDAY ? 1.0 : 0.9;
          case PARK -> day == DayOfWeek.SATURDAY ? 1.6 : day == DayOfWeek.SUNDAY ? 1.7 : 0.8;
          case RESIDENTIAL -> day == DayOfWeek.MONDAY ? 1.15 : weekend ? 1.1 : 1.0;
          case MAIN_ROAD -> weekend ? 0.85 : 1.05;
        };
    double seasonal = 1;
    if (asset.streetType() == StreetType.PARK) {
      double summer = (1 - Math.cos(2 * Math.PI * (local.getDayOfYear() - 15) / 365.25)) / 2;
      seasonal = 0.7 + 0.6 * summer;
    }
    return hourly * weekly * seasonal;
  }

  /** The first collection strictly after {@code after}, or {@code null} when none is due. */
  private Instant nextCollectionAfter(Instant after) {
    LocalDate date = clock.date(after);
    for (int i = 0; i < 8; i++) {
      LocalDate d = date.plusDays(i);
      boolean due =
          collectionDay != null
              ? d.equals(collectionDay)
              : details.collectionDays().contains(d.getDayOfWeek());
      if (due) {
        Instant at = d.atTime(details.collectionTime()).atZone(zone).toInstant();
        if (at.isAfter(after)) {
          return at;
        }
      }
    }
    return null;
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
