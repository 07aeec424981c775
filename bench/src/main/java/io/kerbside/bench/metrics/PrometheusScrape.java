package io.kerbside.bench.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One scrape of a Prometheus text endpoint (format 0.0.4), parsed into samples. Comment and blank
 * lines are skipped; sample timestamps are ignored.
 */
public final class PrometheusScrape {
  private final List<Sample> samples;

  /** One line: {@code name{label="value",...} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private PrometheusScrape(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  /**
   * Parses the exposition text.
   *
   * @throws IllegalArgumentException naming the line that is not a valid sample
   */
  public static PrometheusScrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(l));
    }
    return new PrometheusScrape(samples);
  }

  public List<Sample> samples() {
    return samples;
  }

  /**
   * Sum of the samples named {@code name} whose labels include every pair of {@code labelPairs}
   * ({@code "outcome", "stored", ...}); 0 when there are none.
   */
  public double sum(String name, String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("label pairs must come as name, value");
    }
    double total = 0;
    for (Sample s : samples) {
      if (s.name.equals(name) && matches(s.labels, labelPairs)) {
        total += s.value;
      }
    }
    return total;
  }

  /**
   * The cumulative bucket counts of histogram {@code name} (its {@code name_bucket} samples) by
   * upper bound {@code le}, summed over any other labels; {@code +Inf} is {@link
   * Double#POSITIVE_INFINITY}.
   */
  public NavigableMap<Double, Double> buckets(String name) {
    String bucketName = name + "_bucket";
    NavigableMap<Double, Double> byBound = new TreeMap<>();
    for (Sample s : samples) {
      String le = s.labels.get("le");
      if (s.name.equals(bucketName) && le != null) {
        byBound.merge(parseValue(le), s.value, Double::sum);
      }
    }
    return byBound;
  }

  private static boolean matches(Map<String, String> labels, String[] pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new HashMap<>();
    String name;
    int rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      rest = parseLabels(line, brace + 1, labels);
    } else if (space > 0) {
      name = line.substring(0, space);
      rest = space;
    } else {
      throw new IllegalArgumentException("not a Prometheus sample: " + line);
    }
    String[] tail = line.substring(rest).strip().split("\\s+");
    if (tail.length == 0 || tail[0].isEmpty()) {
      throw new IllegalArgumentException("sample without a value: " + line);
    }
    return new Sample(name, Map.copyOf(labels), parseValue(tail[0]));
  }

  /** Reads {@code a="x",b="y"}} from {@code from}; returns the index after the closing brace. */
  private static int parseLabels(String line, int from, Map<String, String> labels) {
    int i = from;
    while (true) {
      while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
        i++;
      }
      if (i >= line.length()) {
        throw new IllegalArgumentException("unterminated labels: " + line);
      }
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("malformed label: " + line);
      }
      String key = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      if (j >= line.length()) {
        throw new IllegalArgumentException("unterminated label value: " + line);
      }
      labels.put(key, value.toString());
      i = j + 1;
    }
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }
}
