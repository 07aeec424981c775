package io.kerbside.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.ingest.decode.PayloadFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFiltersTest {
  @ParameterizedTest(name = "{0} and {1} share {2}")
  @CsvSource({
    "+/+/+, b/+/+, b/x/y",
    "#, a/b, a/b",
    "#, #, a",
    "#, +, a",
    "a/#, a, a",
    "a/#, a/b/c, a/b/c",
    "a/#, a/+, a/x",
    "+/#, a, a",
    "a/+/#, a/b, a/b",
    "a/+/c, a/b/+, a/b/c",
    "a/+, +/b, a/b",
    "a/b, a/b, a/b",
    "a//b, a/+/b, a//b",
    "$SYS/#, $SYS/broker/+, $SYS/broker/uptime",
    "kerbside/+/+, kerbside/bin/+, kerbside/bin/b1",
  })
  void findsFiltersThatCanMatchOneTopic(String a, String b, String shared) {
    assertThat(TopicFilters.canMatchSameTopic(a, b)).isTrue();
    assertThat(TopicFilters.canMatchSameTopic(b, a)).isTrue();
    assertThat(matches(a, shared)).as("%s matches %s", a, shared).isTrue();
    assertThat(matches(b, shared)).as("%s matches %s", b, shared).isTrue();
  }

  @ParameterizedTest(name = "{0} and {1}")
  @CsvSource({
    "a/+, b/+",
    "a/+, a/+/+",
    "a, a/b",
    "a/b/#, a",
    "a/+/c, a/b/d",
    "a/b/c, +/+",
    "a/+, a/b/c",
    "camden/kerbside/+/+, islington/kerbside/+/+",
    "v3/+/devices/+/up, application/+/device/+/event/up",
    "#, $SYS/broker",
    "+/broker, $SYS/broker",
    "+/#, $SYS",
  })
  void findsFiltersThatShareNoTopic(String a, String b) {
    assertThat(TopicFilters.canMatchSameTopic(a, b)).isFalse();
    assertThat(TopicFilters.canMatchSameTopic(b, a)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "+", "#", "a/+/b", "a/#", "+/+/#", "/", "a//b", "$SYS/#"})
  void acceptsValidFilters(String filter) {
    assertThat(TopicFilters.isValid(filter)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/#/b", "#/a", "a+/b", "a/b#", "a/#/", "##", "a/++"})
  void refusesWildcardsThatAreNotWholeLevels(String filter) {
    assertThat(TopicFilters.isValid(filter)).isFalse();
  }

  @Test
  void agreesWithTopicMatchingOnEveryPairOfSmallFilters() {
    List<String> filters = valid(join(List.of("a", "b", "$s", "+", "#"), 3));
    List<String> topics = join(List.of("a", "b", "c", "$s"), 4);
    for (String a : filters) {
      for (String b : filters) {
        boolean shared = topics.stream().anyMatch(t -> matches(a, t) && matches(b, t));
        assertThat(TopicFilters.canMatchSameTopic(a, b)).as("%s and %s", a, b).isEqualTo(shared);
      }
    }
  }

  @Test
  void matchesTopicsAsComparingLevelByLevelDoes() {
    List<String> filters = valid(join(List.of("a", "ab", "", "$s", "+", "#"), 3));
    List<String> topics = join(List.of("a", "ab", "b", "", "$s"), 4);
    for (String filter : filters) {
      for (String topic : topics) {
        assertThat(TopicFilters.matches(filter, topic))
            .as("%s matches %s", filter, topic)
            .isEqualTo(matchesByLevels(filter, topic));
      }
    }
  }

  /** The rules of MQTT 3.1.1 section 4.7, on the levels of filter and topic. */
  private static boolean matchesByLevels(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return !(i == 0 && topic.startsWith("$"));
      }
      if (i >= t.length) {
        return false;
      }
      if (f[i].equals("+")) {
        if (i == 0 && t[0].startsWith("$")) {
          return false;
        }
        continue;
      }
      if (!f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }

  /** Every string of 1 to {@code maxLevels} levels; {@code $} names appear only as first level. */
  private static List<String> join(List<String> levels, int maxLevels) {
    List<String> all = new ArrayList<>();
    List<String> previous = List.of("");
    for (int n = 1; n <= maxLevels; n++) {
      List<String> next = new ArrayList<>();
      for (String prefix : previous) {
        for (String level : levels) {
          if (n > 1 && level.startsWith("$")) {
            continue;
          }
          next.add(prefix.isEmpty() ? level : prefix + "/" + level);
        }
      }
      all.addAll(next);
      previous = next;
    }
    return all;
  }

  private static List<String> valid(List<String> filters) {
    return filters.stream().filter(TopicFilters::isValid).toList();
  }

  private static boolean matches(String filter, String topic) {
    return new Subscription(filter, PayloadFormat.NATIVE, "default").matches(topic);
  }
}
