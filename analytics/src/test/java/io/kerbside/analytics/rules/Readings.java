package io.kerbside.analytics.rules;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/** Builds subjects, windows of readings and evaluations for rule tests. */
final class Readings {
  static final CouncilRef COUNCIL = new CouncilRef(1, "default");
  static final double CAMBRIDGE_LAT = 52.2053;
  static final double CAMBRIDGE_LON = 0.1218;

  private Readings() {}

  static Subject bin() {
    return subject(
        DeviceKind.BIN, Duration.ofMinutes(15), CAMBRIDGE_LAT, CAMBRIDGE_LON, 1000, null);
  }

  static Subject pavement() {
    return subject(
        DeviceKind.PAVEMENT, Duration.ofMinutes(10), CAMBRIDGE_LAT, CAMBRIDGE_LON, null, null);
  }

  static Subject streetlight(double lat, double lon, Double ratedPowerW) {
    return subject(DeviceKind.STREETLIGHT, Duration.ofMinutes(10), lat, lon, null, ratedPowerW);
  }

  static Subject streetlight(Double ratedPowerW) {
    return streetlight(CAMBRIDGE_LAT, CAMBRIDGE_LON, ratedPowerW);
  }

  static Subject subject(
      DeviceKind kind,
      Duration interval,
      double lat,
      double lon,
      Integer binDepthMm,
      Double ratedPowerW) {
    return new Subject(
        COUNCIL,
        7,
        kind.code() + "-00007",
        kind,
        interval,
        Optional.of(
            new Subject.AssetInfo(
                70,
                "CAS/X/00007",
                "test asset",
                lat,
                lon,
                "High Street",
                "Market",
                binDepthMm,
                ratedPowerW)));
  }

  /** A reading at {@code at} carrying metric/value pairs: {@code reading(t, FILL_PCT, 40.0)}. */
  static WindowReading reading(Instant at, Object... metricsAndValues) {
    return reading(at, null, metricsAndValues);
  }

  static WindowReading reading(Instant at, Long seq, Object... metricsAndValues) {
    Map<Metric, Double> values = new EnumMap<>(Metric.class);
    for (int i = 0; i < metricsAndValues.length; i += 2) {
      values.put((Metric) metricsAndValues[i], ((Number) metricsAndValues[i + 1]).doubleValue());
    }
    return new WindowReading(at, seq, values);
  }

  /** One reading every {@code step} from {@code start}, each carrying {@code metric}'s value. */
  static List<WindowReading> every(Instant start, Duration step, Metric metric, double... values) {
    return every(start, step, values.length, i -> new Object[] {metric, values[i]});
  }

  /**
   * {@code n} readings every {@code step} from {@code start}; reading i carries {@code values(i)}.
   */
  static List<WindowReading> every(
      Instant start, Duration step, int n, IntFunction<Object[]> values) {
    List<WindowReading> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(reading(start.plus(step.multipliedBy(i)), values.apply(i)));
    }
    return out;
  }

  static List<WindowReading> concat(List<WindowReading> a, List<WindowReading> b) {
    List<WindowReading> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** Evaluates as the engine does at the newest reading: the window cut to the rule's lookback. */
  static Evaluation evaluate(Rule rule, Subject subject, List<WindowReading> readings) {
    return evaluate(rule, subject, readings, rule.defaults());
  }

  static Evaluation evaluate(
      Rule rule, Subject subject, List<WindowReading> readings, RuleParams params) {
    Instant asOf = readings.stream().map(WindowReading::at).max(Instant::compareTo).orElseThrow();
    return evaluate(rule, subject, readings, params, asOf, Trigger.READING);
  }

  static Evaluation evaluate(
      Rule rule,
      Subject subject,
      List<WindowReading> readings,
      RuleParams params,
      Instant asOf,
      Trigger trigger) {
    ReadingWindow window = ReadingWindow.of(readings).until(asOf, rule.lookback(params));
    Optional<Instant> last = readings.stream().map(WindowReading::at).max(Instant::compareTo);
    return rule.evaluate(new RuleInput(subject, window, params, asOf, trigger, last));
  }
}
