package io.kerbside.ingest.decode;

import io.kerbside.core.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unit symbols as devices and SenML write them, converted to the unit in a {@link Metric}'s name.
 * SenML symbols follow the RFC 8428 registry ({@code Cel}, {@code %RH}, {@code /}, {@code m}); the
 * others are what vendor codecs print ({@code ℃}, {@code mm}, {@code mV}, {@code kWh}).
 */
final class Units {
  private record Conversion(String canonical, double factor, double offset) {
    double apply(double value) {
      return value * factor + offset;
    }
  }

  private static final Map<String, Conversion> BY_SYMBOL =
      Map.ofEntries(
          Map.entry("%", new Conversion("%", 1, 0)),
          Map.entry("%RH", new Conversion("%", 1, 0)),
          Map.entry("%EL", new Conversion("%", 1, 0)),
          Map.entry("/", new Conversion("%", 100, 0)),
          Map.entry("mm", new Conversion("mm", 1, 0)),
          Map.entry("cm", new Conversion("mm", 10, 0)),
          Map.entry("m", new Conversion("mm", 1000, 0)),
          Map.entry("Cel", new Conversion("Cel", 1, 0)),
          Map.entry("°C", new Conversion("Cel", 1, 0)),
          Map.entry("℃", new Conversion("Cel", 1, 0)),
          Map.entry("C", new Conversion("Cel", 1, 0)),
          Map.entry("degC", new Conversion("Cel", 1, 0)),
          Map.entry("°F", new Conversion("Cel", 5.0 / 9, -32 * 5.0 / 9)),
          Map.entry("℉", new Conversion("Cel", 5.0 / 9, -32 * 5.0 / 9)),
          Map.entry("K", new Conversion("Cel", 1, -273.15)),
          Map.entry("deg", new Conversion("deg", 1, 0)),
          Map.entry("°", new Conversion("deg", 1, 0)),
          Map.entry("rad", new Conversion("deg", 180 / Math.PI, 0)),
          Map.entry("V", new Conversion("V", 1, 0)),
          Map.entry("mV", new Conversion("V", 0.001, 0)),
          Map.entry("A", new Conversion("A", 1, 0)),
          Map.entry("mA", new Conversion("A", 0.001, 0)),
          Map.entry("W", new Conversion("W", 1, 0)),
          Map.entry("kW", new Conversion("W", 1000, 0)),
          Map.entry("Wh", new Conversion("Wh", 1, 0)),
          Map.entry("kWh", new Conversion("Wh", 1000, 0)),
          Map.entry("J", new Conversion("Wh", 1 / 3600.0, 0)),
          Map.entry("h", new Conversion("h", 1, 0)),
          Map.entry("s", new Conversion("h", 1 / 3600.0, 0)),
          Map.entry("lx", new Conversion("lx", 1, 0)),
          Map.entry("lux", new Conversion("lx", 1, 0)),
          Map.entry("g", new Conversion("g", 1, 0)),
          Map.entry("m/s2", new Conversion("g", 1 / 9.80665, 0)));

  private static final Pattern NUMBER_WITH_UNIT =
      Pattern.compile("\\s*([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*(\\S*)\\s*");

  private Units() {}

  /**
   * A number read from text such as {@code "2000 mm"}; {@code unit} is empty when none was given.
   */
  record Quantity(double value, String unit) {}

  /** Reads {@code "25 ℃"}, {@code "0.00"} or {@code "1752 mm"}; empty for anything else. */
  static Optional<Quantity> parse(String text) {
    Matcher m = NUMBER_WITH_UNIT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Quantity(Double.parseDouble(m.group(1)), m.group(2)));
  }

  /** The unit a metric's name carries, as a canonical symbol of this class; empty for flags. */
  static String canonical(Metric metric) {
    String code = metric.code();
    if (metric.isFlag()) {
      return "";
    } else if (code.endsWith("_pct")) {
      return "%";
    } else if (code.endsWith("_mm")) {
      return "mm";
    } else if (code.endsWith("_c")) {
      return "Cel";
    } else if (code.endsWith("_deg")) {
      return "deg";
    } else if (code.endsWith("_wh")) {
      return "Wh";
    } else if (code.endsWith("_v")) {
      return "V";
    } else if (code.endsWith("_a")) {
      return "A";
    } else if (code.endsWith("_w")) {
      return "W";
    } else if (code.endsWith("_hours")) {
      return "h";
    } else if (code.endsWith("_g")) {
      return "g";
    } else if (code.equals("lux")) {
      return "lx";
    }
    throw new IllegalStateException("no unit for metric " + code);
  }

  /** Every symbol this class converts; {@code docs/formats.md} lists them for profile authors. */
  static Set<String> symbols() {
    return BY_SYMBOL.keySet();
  }

  /** True when {@code symbol} is a unit this class can convert. */
  static boolean isKnown(String symbol) {
    return BY_SYMBOL.containsKey(symbol);
  }

  /**
   * {@code value} given in {@code symbol}, in the unit of {@code metric}; empty when the unit is
   * unknown or measures something else. An empty symbol means the metric's own unit.
   */
  static OptionalDouble convert(double value, String symbol, Metric metric) {
    if (symbol.isEmpty()) {
      return OptionalDouble.of(value);
    }
    Conversion c = BY_SYMBOL.get(symbol);
    if (c == null || !c.canonical().equals(canonical(metric))) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(c.apply(value));
  }

  /** The numeric metrics among {@code candidates} that measure what {@code symbol} measures. */
  static List<Metric> metricsMeasuredIn(String symbol, List<Metric> candidates) {
    Conversion c = BY_SYMBOL.get(symbol);
    List<Metric> out = new ArrayList<>();
    if (c == null) {
      return out;
    }
    for (Metric m : candidates) {
      if (!m.isFlag() && canonical(m).equals(c.canonical())) {
        out.add(m);
      }
    }
    return out;
  }
}
