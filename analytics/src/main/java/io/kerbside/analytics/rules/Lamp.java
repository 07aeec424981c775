package io.kerbside.analytics.rules;

import io.kerbside.core.Metric;
import java.util.OptionalDouble;

/** What a streetlight's reading says about its lamp, shared by the streetlight rules. */
final class Lamp {
  private Lamp() {}

  /** The lamp's rated power from the registry; empty when unknown. */
  static OptionalDouble ratedPowerW(Subject subject) {
    return subject
        .asset()
        .map(Subject.AssetInfo::ratedPowerW)
        .filter(w -> w > 0)
        .map(OptionalDouble::of)
        .orElse(OptionalDouble.empty());
  }

  /**
   * The power the lamp should draw when lit at the reading's dimming level: rated power times
   * {@code dim_pct} (100 % when the reading does not say or says 0, as a switched-off lamp does).
   */
  static OptionalDouble expectedPowerW(Subject subject, WindowReading r) {
    OptionalDouble rated = ratedPowerW(subject);
    if (rated.isEmpty()) {
      return rated;
    }
    double dim = r.value(Metric.DIM_PCT).orElse(100);
    return OptionalDouble.of(rated.getAsDouble() * (dim > 0 ? dim : 100) / 100);
  }

  /**
   * The power below which a lamp that should be lit gives no light: {@code pct} of the expected
   * power, or {@code absoluteW} when the rating is unknown.
   */
  static double minimumLitPowerW(Subject subject, WindowReading r, double pct, double absoluteW) {
    OptionalDouble expected = expectedPowerW(subject, r);
    return expected.isPresent() ? expected.getAsDouble() * pct / 100 : absoluteW;
  }

  /**
   * Whether the lamp is lit: the controller's {@code lamp_on} flag when reported, else whether it
   * draws at least {@code litPowerW}; null when the reading says neither.
   */
  static Boolean lit(WindowReading r, double litPowerW) {
    OptionalDouble on = r.value(Metric.LAMP_ON);
    if (on.isPresent()) {
      return on.getAsDouble() >= 0.5;
    }
    OptionalDouble power = powerW(r);
    return power.isPresent() ? power.getAsDouble() >= litPowerW : null;
  }

  /**
   * The reading's power draw, W, when it can be believed: empty when the reading has none, or when
   * it also gives voltage and current whose product contradicts it (one is more than twice the
   * other plus {@value #METER_SLACK_W} W; a lamp's driver has a power factor near 1). A power meter
   * stuck at a lit value while the current shows the lamp off, or at standby while the lamp draws
   * its full current, is a meter fault: the lamp rules do not judge the lamp by it.
   */
  static OptionalDouble powerW(WindowReading r) {
    OptionalDouble power = r.value(Metric.POWER_W);
    OptionalDouble volts = r.value(Metric.VOLTAGE_V);
    OptionalDouble amps = r.value(Metric.CURRENT_A);
    if (power.isEmpty() || volts.isEmpty() || amps.isEmpty()) {
      return power;
    }
    double metered = power.getAsDouble();
    double product = volts.getAsDouble() * amps.getAsDouble();
    boolean contradicts =
        Math.max(metered, product) > 2 * Math.min(metered, product) + METER_SLACK_W;
    return contradicts ? OptionalDouble.empty() : power;
  }

  /** Below this a power reading and voltage times current are not compared (standby, noise). */
  static final double METER_SLACK_W = 5;

  /** The sun's altitude at the lamp when {@code r} was taken; NaN without a located asset. */
  static double sunAltitudeDeg(Subject subject, WindowReading r) {
    return SunClock.altitudeDeg(subject, r.at()).orElse(Double.NaN);
  }
}
