package io.kerbside.analytics.rules;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A bin has not been collected: every fill reading of the last {@code duration_h} was at or above
 * {@code fill_pct}, and the readings cover that whole stretch (the oldest one is at least {@code
 * duration_h} old). The value is the hours the bin has been above the level, as far as the window
 * shows.
 *
 * <p>Hysteresis: it clears when the bin is emptied below {@code clear_pct}; a level in between is
 * UNKNOWN and keeps the alert. A knocked-over bin reports a meaningless fill of 0, which clears it;
 * the knocked-over alert covers that bin.
 */
public final class BinNotCollectedRule implements Rule {
  private static final RuleDefinition DEFINITION =
      new RuleDefinition(
          "bin-not-collected",
          Set.of(DeviceKind.BIN),
          Scope.ASSET,
          Set.of(Trigger.READING),
          Severity.MAJOR,
          RuleParams.of("fill_pct", 70, "duration_h", 48, "clear_pct", 40),
          "bin at or above fill_pct for longer than duration_h: a collection was missed");

  @Override
  public RuleDefinition definition() {
    return DEFINITION;
  }

  @Override
  public Duration lookback(RuleParams params) {
    return params.duration("duration_h").plusHours(6);
  }

  @Override
  public Evaluation evaluate(RuleInput in) {
    RuleParams p = in.params();
    List<Sample> fill = in.window().series(Metric.FILL_PCT);
    if (fill.isEmpty()) {
      return Evaluation.unknown(in.asOf());
    }
    Sample latest = fill.get(fill.size() - 1);
    if (latest.value() < p.get("clear_pct")) {
      return Evaluation.clear(latest.at(), 0);
    }
    int runStart = fill.size() - 1;
    while (runStart > 0 && fill.get(runStart - 1).value() >= p.get("fill_pct")) {
      runStart--;
    }
    if (latest.value() < p.get("fill_pct")) {
      return Evaluation.unknown(in.asOf());
    }
    Instant since = fill.get(runStart).at();
    double hours = Series.hours(since, latest.at());
    if (hours >= p.get("duration_h")) {
      return Evaluation.active(
          latest.at(),
          hours,
          String.format(
              Locale.ROOT, "bin above %.0f %% for %.0f h: not collected", p.get("fill_pct"), hours),
          Map.of("fill_pct", latest.value(), "above_since", since.toString()));
    }
    return Evaluation.unknown(in.asOf());
  }
}
