package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A lit lamp draws power outside its band: below {@code low_pct} or above {@code high_pct} of its
 * rated power times the reported dimming level ({@code dim_pct}; full when not reported). Only
 * readings with the lamp on at a dimming level of at least {@code min_dim_pct} count (deeply dimmed
 * drivers are inefficient); a draw below {@code failed_below_pct} is a failed lamp, left to {@code
 * lamp-failure}. Gear losses of discharge lamps (about 10 %) sit well inside the default band. It
 * needs the asset's rated power and {@code min_readings} qualifying readings in a row out of band;
 * the value is the deviation from the expected power in percent.
 *
 * <p>Hysteresis: it clears when the newest qualifying reading is back within {@code clear_low_pct}
 * to {@code clear_high_pct}; between the bands, or with the lamp off, UNKNOWN keeps the alert.
 */
public final class LampPowerBandRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "lamp-power-band",
          Set.of(DeviceKind.STREETLIGHT),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.MINOR,
          RuleParams.of(
              "low_pct", 70,
              "high_pct", 130,
              "clear_low_pct", 80,
              "clear_high_pct", 120,
              "failed_below_pct", 20,
              "min_dim_pct", 50,
              "min_readings", 2,
              "history_h", 2),
          "lit lamp drawing outside low_pct..high_pct of its rated power at its dimming level");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("history_h");
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    if (Lamp.ratedPowerW(in.subject()).isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    List<WindowReading> readings = Spacing.readings(in);
    WindowReading newest = in.window().latest().orElse(null);
    OptionalDouble newestShare =
        newest == null ? OptionalDouble.empty() : percentOfExpected(in.subject(), newest, p);
    if (newestShare.isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    double newestPct = newestShare.getAsDouble();
    int outOfBand =
        Series.newestInARow(
            readings,
            r -> percentOfExpected(in.subject(), r, p).stream().anyMatch(pct -> outOfBand(pct, p)));
    if (outOfBand >= Series.count(p, "min_readings")) {
      return Evaluation.active(
          newest.at(),
          Math.abs(newestPct - 100),
          String.format(
              Locale.ROOT,
              "lamp drawing %.0f %% of its rated power at this dimming level",
              newestPct),
          Map.of("power_pct_of_expected", newestPct));
    }
    if (newestPct >= p.get("clear_low_pct") && newestPct <= p.get("clear_high_pct")) {
      return Evaluation.clear(newest.at(), Math.abs(newestPct - 100));
    }
    return Evaluation.unknown(in.asOf());
  }

  /** Outside the band, but not so low that the lamp has failed (that is {@code lamp-failure}). */
  private static boolean outOfBand(double pct, RuleParams p) {
    return pct >= p.get("failed_below_pct") && (pct < p.get("low_pct") || pct > p.get("high_pct"));
  }

  /** The reading's power as a percentage of what the lamp should draw, when it qualifies. */
  private static OptionalDouble percentOfExpected(Subject subject, WindowReading r, RuleParams p) {
    OptionalDouble on = r.value(Metric.LAMP_ON);
    OptionalDouble power = r.value(Metric.POWER_W);
    double dim = r.value(Metric.DIM_PCT).orElse(100);
    if (on.isEmpty() || on.getAsDouble() < 0.5 || power.isEmpty() || dim < p.get("min_dim_pct")) {
      return OptionalDouble.empty();
    }
    OptionalDouble expected = Lamp.expectedPowerW(subject, r);
    return expected.isEmpty()
        ? expected
        : OptionalDouble.of(power.getAsDouble() / expected.getAsDouble() * 100);
  }
}
