package io.kerbside.sim.weather;

import io.kerbside.sim.TownCentre;
import io.kerbside.sim.random.Seeds;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weather over the whole town, a pure function of the seed and the time: the same instant
 * always has the same weather, whatever was asked before. Each local day gets its mean temperature,
 * daily range, cloud, wind and perhaps a spell of rain from the seed; the temperature is lowest at
 * sunrise and highest at 15:00, and the day's figures blend into the next day's so that nothing
 * jumps at midnight.
 *
 * <p>Not thread-safe (it caches the last few days).
 */
public final class WeatherModel {
  private static final int CACHED_DAYS = 8;

  private final long seed;
  private final TownCentre centre;
  private final WeatherRegime regime;
  private final LocalClock clock;
  private final Map<LocalDate, Day> days =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<LocalDate, Day> eldest) {
          return size() > CACHED_DAYS;
        }
      };

  public WeatherModel(long seed, TownCentre centre, WeatherRegime regime) {
    this.seed = Seeds.mix(seed, Seeds.WEATHER);
    this.centre = centre;
    this.regime = regime;
    this.clock = new LocalClock(centre.zone());
  }

  public WeatherRegime regime() {
    return regime;
  }

  /** The weather at {@code t}. */
  public WeatherState at(Instant t) {
    LocalDate date = clock.date(t);
    double hour = clock.hourOfDay(t);
    Day today = day(date);
    Day other = hour < 12 ? day(date.minusDays(1)) : day(date.plusDays(1));
    double w = hour < 12 ? (hour + 12) / 24 : (hour - 12) / 24;
    Day from = hour < 12 ? other : today;
    Day to = hour < 12 ? today : other;
    double mean = lerp(from.meanC, to.meanC, w);
    double amplitude = lerp(from.amplitudeC, to.amplitudeC, w);
    double cloud = lerp(from.cloud, to.cloud, w);
    double wind = lerp(from.windMs, to.windMs, w);

    double rain = Math.max(today.rainAt(hour), day(date.minusDays(1)).rainAt(hour + 24));
    double air = mean + amplitude * diurnalShape(hour, today.riseHour);
    if (regime == WeatherRegime.WINTER_COLD_SNAP) {
      cloud = hour >= 13 && hour < 19.5 ? 0.9 : 0.1;
    }
    if (rain > 0) {
      air -= 1.5 * Math.min(1, rain / 2);
      cloud = Math.max(cloud, 0.9);
    }
    boolean daylight = hour >= today.riseHour && hour < today.setHour;
    double solar =
        daylight
            ? today.noonElevationSin
                * Math.sin(Math.PI * (hour - today.riseHour) / (today.setHour - today.riseHour))
            : 0;
    return new WeatherState(air, rain, clamp(cloud, 0, 1), wind, solar, daylight);
  }

  /** -1 at sunrise, +1 at 15:00, a cosine in between both ways. */
  static double diurnalShape(double hour, double riseHour) {
    double peak = 15;
    if (hour >= riseHour && hour <= peak) {
      return -Math.cos(Math.PI * (hour - riseHour) / (peak - riseHour));
    }
    double h = hour < riseHour ? hour + 24 : hour;
    return Math.cos(Math.PI * (h - peak) / (riseHour + 24 - peak));
  }

  private Day day(LocalDate date) {
    Day d = days.get(date);
    if (d == null) {
      d = newDay(date);
      days.put(date, d);
    }
    return d;
  }

  private Day newDay(LocalDate date) {
    SunWindow sun = SunWindow.of(date, centre.latitude(), centre.longitude(), centre.zone());
    double riseHour = localHour(sun.rise(), date);
    double setHour = localHour(sun.set(), date);
    int doy = date.getDayOfYear();
    double declination = 23.44 * Math.sin(2 * Math.PI * (doy - 81) / 365.25);
    double noonSin =
        Math.sin(Math.toRadians(Math.max(1, 90 - Math.abs(centre.latitude() - declination))));
    double seasonal = 10.3 - 6.2 * Math.cos(2 * Math.PI * (doy - 15) / 365.25);
    double winterness = (1 + Math.cos(2 * Math.PI * (doy - 15) / 365.25)) / 2;
    long n = date.toEpochDay();
    return switch (regime) {
      case NATURAL -> {
        double anomaly =
            2.8
                * (0.6 * Seeds.gaussian(seed, n, 1)
                    + 0.3 * Seeds.gaussian(seed, n - 1, 1)
                    + 0.1 * Seeds.gaussian(seed, n - 2, 1));
        double cloud =
            clamp(0.45 + 0.2 * winterness + 0.6 * (Seeds.unit(seed, n, 2) - 0.5), 0.05, 1);
        double amplitude = (1.2 + 3.8 * (1 - cloud)) * (0.75 + 0.35 * (1 - winterness));
        double wind = 2 + 5 * Seeds.unit(seed, n, 3);
        double rainChance = (0.3 + 0.2 * winterness) * (cloud > 0.5 ? 1.3 : 0.6);
        double rainStart = -1;
        double rainHours = 0;
        double rainRate = 0;
        if (Seeds.unit(seed, n, 4) < rainChance) {
          rainStart = 24 * Seeds.unit(seed, n, 5);
          double u = Seeds.unit(seed, n, 6);
          rainHours = 1 + 6 * u * u;
          double v = Seeds.unit(seed, n, 7);
          rainRate = 0.3 + 3.5 * v * v * v;
        }
        yield new Day(
            seasonal + anomaly,
            amplitude,
            cloud,
            wind,
            rainStart,
            rainHours,
            rainRate,
            riseHour,
            setHour,
            noonSin);
      }
      case MILD_DRY ->
          new Day(
              Math.max(seasonal, 12) + Seeds.unit(seed, n, 1),
              3,
              0.45,
              3,
              -1,
              0,
              0,
              riseHour,
              setHour,
              noonSin);
      case WINTER_COLD_SNAP -> new Day(-0.5, 4.5, 0.1, 2, 15, 3.5, 1.2, riseHour, setHour, noonSin);
    };
  }

  private double localHour(Instant t, LocalDate date) {
    LocalDate d = clock.date(t);
    double h = clock.hourOfDay(t);
    return d.isBefore(date) ? h - 24 : d.isAfter(date) ? h + 24 : h;
  }

  private static double lerp(double a, double b, double w) {
    return a + (b - a) * w;
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }

  /** One local day's weather figures; hours are local hours of that day. */
  private record Day(
      double meanC,
      double amplitudeC,
      double cloud,
      double windMs,
      double rainStartHour,
      double rainHours,
      double rainMmPerHour,
      double riseHour,
      double setHour,
      double noonElevationSin) {

    /** Rain at {@code hour} hours after this day's midnight (may exceed 24), 0 when dry. */
    double rainAt(double hour) {
      if (rainStartHour < 0 || hour < rainStartHour || hour >= rainStartHour + rainHours) {
        return 0;
      }
      return rainMmPerHour;
    }
  }
}
