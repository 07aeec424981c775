package io.kerbside.grafana;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a panel's query into what Grafana sends to the database or to Prometheus, in Grafana's two
 * steps: the browser replaces template and interval variables ({@link #interpolate}), then the
 * PostgreSQL data source's backend expands its macros ({@link #expandSqlMacros}). Follows Grafana
 * 10-11: {@code public/app/features/templating/template_srv.ts}, the SQL and Prometheus data
 * sources' {@code interpolateVariable}, and {@code
 * pkg/tsdb/grafana-postgresql-datasource/macros.go}.
 */
final class GrafanaMacros {
  /** How Grafana's model stores the "All" choice. */
  static final String ALL = "$__all";

  /** Which data source's quoting rules apply to template variables. */
  enum Dialect {
    SQL,
    PROMQL
  }

  /** The dashboard's time range (Grafana works in milliseconds). */
  record TimeRange(Instant from, Instant to) {
    TimeRange {
      from = Instant.ofEpochMilli(from.toEpochMilli());
      to = Instant.ofEpochMilli(to.toEpochMilli());
    }

    Duration length() {
      return Duration.between(from, to);
    }
  }

  // template_srv.ts variableRegex
  private static final Pattern VARIABLE =
      Pattern.compile(
          "\\$(\\w+)|\\[\\[(\\w+?)(?::(\\w+))?\\]\\]|\\$\\{(\\w+)(?:\\.([^:^}]+))?(?::([^}]+))?\\}");
  // sqleng: a macro is $name(args) with no nested parentheses
  private static final Pattern MACRO = Pattern.compile("\\$(__[_a-zA-Z0-9]+)\\(([^)]*)\\)");
  private static final Pattern INTERVAL_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y|M)");
  private static final List<Duration> NICE_INTERVALS =
      List.of(
          Duration.ofMillis(1),
          Duration.ofMillis(10),
          Duration.ofMillis(20),
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofMillis(200),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(15),
          Duration.ofSeconds(20),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(15),
          Duration.ofMinutes(20),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(3),
          Duration.ofHours(6),
          Duration.ofHours(12),
          Duration.ofDays(1),
          Duration.ofDays(7),
          Duration.ofDays(30),
          Duration.ofDays(365));
  private static final DateTimeFormatter RFC3339_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final TimeRange range;
  private final boolean timescaledb;
  private final Map<String, TemplateVariable> variables = new LinkedHashMap<>();
  private final Map<String, List<String>> selected = new LinkedHashMap<>();
  private final Map<String, List<String>> options = new LinkedHashMap<>();

  /**
   * @param timescaledb the data source's TimescaleDB option: {@code $__timeGroup} becomes {@code
   *     time_bucket()} instead of {@code floor(extract(epoch ...))}
   */
  GrafanaMacros(TimeRange range, boolean timescaledb) {
    this.range = range;
    this.timescaledb = timescaledb;
  }

  /**
   * Sets a variable's current value: its options chosen ({@link #ALL} alone for "All") and every
   * option it offers (what "All" means without a custom all value).
   */
  GrafanaMacros select(TemplateVariable v, List<String> chosen, List<String> offered) {
    variables.put(v.name(), v);
    selected.put(v.name(), List.copyOf(chosen));
    options.put(v.name(), List.copyOf(offered));
    return this;
  }

  TimeRange range() {
    return range;
  }

  /** The whole pipeline for an SQL panel query. */
  String sql(String rawSql, String panelMinInterval) {
    return expandSqlMacros(interpolate(rawSql, Dialect.SQL, panelMinInterval));
  }

  /** The whole pipeline for a PromQL panel query, with the data source's scrape interval. */
  String promQl(String expr, String panelMinInterval, Duration scrapeInterval) {
    return interpolate(expr, Dialect.PROMQL, panelMinInterval, scrapeInterval);
  }

  String interpolate(String text, Dialect dialect, String panelMinInterval) {
    return interpolate(text, dialect, panelMinInterval, Duration.ofSeconds(15));
  }

  private String interpolate(
      String text, Dialect dialect, String panelMinInterval, Duration scrapeInterval) {
    Duration interval = interval(range.length(), panelMinInterval);
    Map<String, String> builtins = new LinkedHashMap<>();
    builtins.put("__interval", formatInterval(interval));
    builtins.put("__interval_ms", Long.toString(interval.toMillis()));
    Duration rate = max(interval.plus(scrapeInterval), scrapeInterval.multipliedBy(4));
    builtins.put("__rate_interval", formatInterval(rate));
    builtins.put("__range", formatInterval(range.length()));
    builtins.put("__range_s", Long.toString(range.length().toSeconds()));
    builtins.put("__range_ms", Long.toString(range.length().toMillis()));
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = first(m.group(1), m.group(2), m.group(4));
      String format = first(m.group(3), m.group(6));
      String replacement;
      if (builtins.containsKey(name)) {
        replacement = builtins.get(name);
      } else if (variables.containsKey(name)) {
        replacement = format(variables.get(name), dialect, format);
      } else {
        replacement = m.group(); // unknown: Grafana leaves it, e.g. $__timeFilter
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String format(TemplateVariable v, Dialect dialect, String format) {
    List<String> values = selected.get(v.name());
    if (values.size() == 1 && values.get(0).equals(ALL)) {
      // template_srv.ts: a custom all value is inserted as it is, never formatted
      if (v.allValue() != null && !"text".equals(format) && !"percentencode".equals(format)) {
        return v.allValue();
      }
      values = options.get(v.name());
    }
    if (format != null && !format.equals("glob")) {
      return switch (format) {
        case "raw" -> String.join(",", values);
        case "csv" -> String.join(",", values);
        case "pipe" -> String.join("|", values);
        case "singlequote", "sqlstring" ->
            String.join(",", values.stream().map(GrafanaMacros::quote).toList());
        case "regex" ->
            values.size() == 1
                ? regexEscape(values.get(0))
                : "("
                    + String.join("|", values.stream().map(GrafanaMacros::regexEscape).toList())
                    + ")";
        default -> throw new IllegalArgumentException("format :" + format + " not supported here");
      };
    }
    if (dialect == Dialect.SQL) {
      // sql datasource interpolateVariable
      if (!v.quoted() && values.size() == 1) {
        return values.get(0).replace("'", "''");
      }
      return String.join(",", values.stream().map(GrafanaMacros::quote).toList());
    }
    // prometheus datasource interpolateQueryExpr
    if (!v.quoted()) {
      return values.get(0).replace("\\", "\\\\").replace("'", "\\\\'");
    }
    List<String> escaped = values.stream().map(GrafanaMacros::promRegexEscape).toList();
    return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
  }

  /** Expands the PostgreSQL data source's macros ({@code macros.go}). */
  String expandSqlMacros(String sql) {
    Matcher m = MACRO.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      List<String> args = new ArrayList<>();
      for (String a : m.group(2).split(",", -1)) {
        args.add(a.trim());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(macro(m.group(1), args, m.group())));
    }
    m.appendTail(out);
    String s = out.toString();
    // sqleng.Interpolate: what the browser left, the backend fills in
    Duration interval = interval(range.length(), "");
    s = s.replace("$__interval_ms", Long.toString(interval.toMillis()));
    s = s.replace("$__interval", formatInterval(interval));
    return s;
  }

  private String macro(String name, List<String> args, String original) {
    switch (name) {
      case "__time":
        return need(args, 1, name) + " AS \"time\"";
      case "__timeEpoch":
        return "extract(epoch from " + need(args, 1, name) + ") as \"time\"";
      case "__timeFilter":
        return need(args, 1, name)
            + " BETWEEN '"
            + rfc3339(range.from())
            + "' AND '"
            + rfc3339(range.to())
            + "'";
      case "__timeFrom":
        return "'" + rfc3339(range.from()) + "'";
      case "__timeTo":
        return "'" + rfc3339(range.to()) + "'";
      case "__timeGroup":
      case "__timeGroupAlias":
        {
          if (args.size() < 2) {
            throw new IllegalArgumentException("macro " + name + " needs time column and interval");
          }
          double seconds = parseInterval(trimQuotes(args.get(1))).toMillis() / 1000.0;
          String group =
              timescaledb
                  ? String.format(
                      java.util.Locale.ROOT, "time_bucket('%.0fs',%s)", seconds, args.get(0))
                  : "floor(extract(epoch from "
                      + args.get(0)
                      + ")/"
                      + goFloat(seconds)
                      + ")*"
                      + goFloat(seconds);
          return name.equals("__timeGroupAlias") ? group + " AS \"time\"" : group;
        }
      case "__unixEpochFilter":
        {
          String c = need(args, 1, name);
          return c
              + " >= "
              + range.from().getEpochSecond()
              + " AND "
              + c
              + " <= "
              + range.to().getEpochSecond();
        }
      case "__unixEpochNanoFilter":
        {
          String c = need(args, 1, name);
          return c + " >= " + nanos(range.from()) + " AND " + c + " <= " + nanos(range.to());
        }
      case "__unixEpochFrom":
        return Long.toString(range.from().getEpochSecond());
      case "__unixEpochTo":
        return Long.toString(range.to().getEpochSecond());
      case "__unixEpochNanoFrom":
        return Long.toString(nanos(range.from()));
      case "__unixEpochNanoTo":
        return Long.toString(nanos(range.to()));
      case "__unixEpochGroup":
      case "__unixEpochGroupAlias":
        {
          if (args.size() < 2) {
            throw new IllegalArgumentException("macro " + name + " needs time column and interval");
          }
          double seconds = parseInterval(trimQuotes(args.get(1))).toMillis() / 1000.0;
          String group =
              "floor((" + args.get(0) + ")/" + goFloat(seconds) + ")*" + goFloat(seconds);
          return name.endsWith("Alias") ? group + " AS \"time\"" : group;
        }
      default:
        // Grafana fails the query on an unknown macro; so do we.
        throw new IllegalArgumentException("unknown macro " + original);
    }
  }

  /** Grafana's {@code $__interval}: range / max data points, rounded, at least the minimum. */
  static Duration interval(Duration range, String panelMinInterval) {
    Duration raw = range.dividedBy(1000);
    Duration nice = NICE_INTERVALS.get(NICE_INTERVALS.size() - 1);
    for (Duration d : NICE_INTERVALS) {
      if (d.compareTo(raw) >= 0) {
        nice = d;
        break;
      }
    }
    if (panelMinInterval != null && !panelMinInterval.isBlank()) {
      nice = max(nice, parseInterval(panelMinInterval.replace(">", "")));
    }
    return nice;
  }

  /** Grafana's interval syntax ({@code 30s}, {@code 1h}, {@code 1d}, {@code 1h30m}). */
  static Duration parseInterval(String text) {
    Matcher m = INTERVAL_PART.matcher(text.trim());
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("not an interval: " + text);
      }
      end = m.end();
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                case "M" -> Duration.ofDays(30 * n);
                default -> Duration.ofDays(365 * n);
              });
    }
    if (end != text.trim().length() || end == 0) {
      throw new IllegalArgumentException("not an interval: " + text);
    }
    return total;
  }

  /** Like Grafana's {@code kbn.secondsToHms}: the largest whole unit. */
  static String formatInterval(Duration d) {
    long ms = d.toMillis();
    long[] sizes = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000, 1};
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms >= sizes[i] && ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return ms + "ms";
  }

  /** Go's {@code time.RFC3339Nano} of a UTC instant (trailing zeros of the fraction dropped). */
  static String rfc3339(Instant t) {
    String s = RFC3339_SECONDS.format(t);
    int nanos = t.getNano();
    if (nanos != 0) {
      String f = String.format(java.util.Locale.ROOT, "%09d", nanos).replaceAll("0+$", "");
      s += "." + f;
    }
    return s + "Z";
  }

  /** Go's {@code %v} of a float64: shortest digits, exponent form from 1e+06 (and below 1e-4). */
  static String goFloat(double v) {
    if (v == 0) {
      return "0";
    }
    BigDecimal b = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exp = b.precision() - b.scale() - 1;
    if (exp < -4 || exp >= 6) {
      String mantissa = b.movePointLeft(exp).stripTrailingZeros().toPlainString();
      String e = Integer.toString(Math.abs(exp));
      return mantissa + (exp < 0 ? "e-" : "e+") + (e.length() < 2 ? "0" + e : e);
    }
    return b.toPlainString();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static String need(List<String> args, int n, String name) {
    if (args.size() < n || args.get(0).isEmpty()) {
      throw new IllegalArgumentException("missing time column argument for macro " + name);
    }
    return args.get(0);
  }

  private static String trimQuotes(String s) {
    return s.replaceAll("^'+|'+$", "");
  }

  private static String quote(String v) {
    return "'" + v.replace("'", "''") + "'";
  }

  private static String regexEscape(String v) {
    return v.replaceAll("[\\\\^$*+?.()|{}\\[\\]/]", "\\\\$0");
  }

  private static String promRegexEscape(String v) {
    // prometheusSpecialRegexEscape: backslash-escape regex characters for a label matcher
    return v.replaceAll("[\\\\^$*+?.()|{}\\[\\]]", "\\\\\\\\$0").replace("'", "\\\\'");
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String first(String... s) {
    for (String x : s) {
      if (x != null) {
        return x;
      }
    }
    return null;
  }
}
