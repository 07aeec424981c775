package io.kerbside.ingest.mqtt;

/**
 * MQTT 3.1.1 topic filter rules (section 4.7): valid filters, filters that overlap, and matching a
 * topic. Filters here are as configured: without a {@code $share/<group>/} prefix, which only tells
 * the broker how to share a stream, not which topics belong to it. Pure functions, safe from any
 * thread.
 */
public final class TopicFilters {
  private static final String SINGLE = "+";
  private static final String MULTI = "#";

  private TopicFilters() {}

  /**
   * True when {@code filter} is a valid MQTT topic filter: not empty, {@code +} and {@code #} only
   * as whole levels, {@code #} only as the last level.
   */
  public static boolean isValid(String filter) {
    if (filter.isEmpty() || filter.indexOf('\u0000') >= 0) {
      return false;
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.equals(MULTI)) {
        if (i != levels.length - 1) {
          return false;
        }
      } else if (!level.equals(SINGLE) && (level.contains(SINGLE) || level.contains(MULTI))) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when at least one topic matches both filters, e.g. {@code +/+/+} and {@code b/+/+} (both
   * match {@code b/x/y}), or {@code a/#} and {@code a} ({@code #} also matches its parent level).
   * Like the broker, a wildcard in the first level matches no topic that starts with {@code $}.
   *
   * @param a a valid filter ({@link #isValid})
   * @param b a valid filter
   */
  public static boolean canMatchSameTopic(String a, String b) {
    String[] x = a.split("/", -1);
    String[] y = b.split("/", -1);
    if (wildcard(x[0]) && systemLevel(y[0]) || wildcard(y[0]) && systemLevel(x[0])) {
      return false;
    }
    int common = Math.min(x.length, y.length);
    for (int i = 0; i < common; i++) {
      if (x[i].equals(MULTI) || y[i].equals(MULTI)) {
        return true;
      }
      if (!x[i].equals(SINGLE) && !y[i].equals(SINGLE) && !x[i].equals(y[i])) {
        return false;
      }
    }
    if (x.length == y.length) {
      return true;
    }
    // Past the shorter filter's last level, the longer one shares a topic with it only through a
    // final '#', which matches the parent level as well (a/# matches a).
    String[] longer = x.length > y.length ? x : y;
    return longer.length == common + 1 && longer[common].equals(MULTI);
  }

  /**
   * True when {@code topic} matches {@code filter} (MQTT wildcard rules): {@code +} matches one
   * level, a final {@code #} any number of levels including none (so {@code a/#} matches {@code
   * a}), and a wildcard in the first level matches no topic that starts with {@code $}. Runs for
   * every message, so it walks both strings level by level instead of splitting them.
   *
   * @param filter a valid filter ({@link #isValid})
   */
  public static boolean matches(String filter, String topic) {
    int filterLength = filter.length();
    int topicLength = topic.length();
    if (topic.startsWith("$") && (filter.startsWith(SINGLE) || filter.startsWith(MULTI))) {
      return false;
    }
    int f = 0;
    int t = 0;
    while (true) {
      int filterEnd = levelEnd(filter, f);
      if (filterEnd - f == 1 && filter.charAt(f) == '#') {
        return true;
      }
      int topicEnd = levelEnd(topic, t);
      boolean anyLevel = filterEnd - f == 1 && filter.charAt(f) == '+';
      if (!anyLevel
          && (filterEnd - f != topicEnd - t || !filter.regionMatches(f, topic, t, filterEnd - f))) {
        return false;
      }
      boolean lastOfFilter = filterEnd == filterLength;
      boolean lastOfTopic = topicEnd == topicLength;
      if (lastOfFilter || lastOfTopic) {
        // Past the topic's last level, only a final "#" matches (its parent level as well).
        return lastOfFilter
            ? lastOfTopic
            : filterLength - filterEnd == 2 && filter.charAt(filterEnd + 1) == '#';
      }
      f = filterEnd + 1;
      t = topicEnd + 1;
    }
  }

  private static int levelEnd(String s, int from) {
    int slash = s.indexOf('/', from);
    return slash < 0 ? s.length() : slash;
  }

  private static boolean wildcard(String level) {
    return level.equals(SINGLE) || level.equals(MULTI);
  }

  private static boolean systemLevel(String level) {
    return level.startsWith("$");
  }
}
