package io.kerbside.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.LocalTime;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class YamlEntryTest {
  private static final Settings ENV = Settings.from(Map.of("KERBSIDE_HOOK_SECRET", "s3cret"));

  private static YamlEntry entry(String yaml) {
    try {
      return new YamlEntry("f.yaml", new YAMLMapper().readTree(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The message {@code read} fails with on the entry {@code yaml}. */
  private static String refused(String yaml, Consumer<YamlEntry> read) {
    try {
      read.accept(entry(yaml));
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + yaml);
  }

  @Test
  void labelsNestedEntriesAndErrorsWithWhereTheyAre() {
    YamlEntry top = entry("a: {b: 1}\nitems: [{x: 1}, {x: 2}]\n");
    assertThat(top.label()).isEqualTo("f.yaml");
    assertThat(top.child("a").label()).isEqualTo("f.yaml: a");
    assertThat(top.child("absent").label()).isEqualTo("f.yaml: absent");
    assertThat(top.list("items"))
        .extracting(YamlEntry::label)
        .containsExactly("f.yaml: items[0]", "f.yaml: items[1]");
    assertThat(top.list("items").get(1).named("two").label()).isEqualTo("f.yaml: items[1] 'two'");
    assertThat(top.list("items").get(1).intBetween("x", 0, 0, 9)).isEqualTo(2);
    assertThat(top.child("a").named("n").error("went wrong").getMessage())
        .isEqualTo("f.yaml: a 'n': went wrong");
  }

  @Test
  void refusesWhatIsNotAMapping() {
    assertThatThrownBy(() -> entry("- a\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("f.yaml: must be a mapping of keys to values");
    assertThat(refused("a: 3\n", e -> e.child("a")))
        .isEqualTo("f.yaml: a: must be a mapping of keys to values");
    assertThat(refused("items: [3]\n", e -> e.list("items")))
        .isEqualTo("f.yaml: items[0]: must be a mapping of keys to values");
  }

  @Test
  void anAbsentChildIsEmptyAndAnAbsentListHasNoItems() {
    YamlEntry top = entry("items: null\n");
    assertThat(top.child("a").intBetween("b", 7, 0, 9)).isEqualTo(7);
    assertThat(top.list("items")).isEmpty();
    assertThat(top.list("absent")).isEmpty();
    assertThat(refused("items: {a: 1}\n", e -> e.list("items")))
        .isEqualTo("f.yaml: items must be a list");
  }

  @Test
  void refusesUnknownKeysNamingTheExpectedOnes() {
    entry("a: 1\nb: 2\n").onlyKeys("a", "b", "c");
    assertThat(refused("a: 1\nd: 2\n", e -> e.onlyKeys("a", "b", "c")))
        .isEqualTo("f.yaml: unknown key 'd' (expected one of a, b, c)");
  }

  @Test
  void readsStringsTrimmedWithBlankAsAbsent() {
    YamlEntry e = entry("a: '  x  '\nblank: '  '\nn: 5\nnothing: null\n");
    assertThat(e.optionalString("a")).contains("x");
    assertThat(e.optionalString("n")).contains("5");
    assertThat(e.optionalString("blank")).isEmpty();
    assertThat(e.optionalString("nothing")).isEmpty();
    assertThat(e.optionalString("absent")).isEmpty();
    assertThat(e.string("a", "d")).isEqualTo("x");
    assertThat(e.string("blank", "d")).isEqualTo("d");
    assertThat(e.requiredString("a")).isEqualTo("x");
    assertThat(refused("a: [x]\n", y -> y.optionalString("a")))
        .isEqualTo("f.yaml: a must be a single value");
    assertThat(refused("a: {b: x}\n", y -> y.string("a", "d")))
        .isEqualTo("f.yaml: a must be a single value");
    assertThat(refused("blank: ''\n", y -> y.requiredString("blank")))
        .isEqualTo("f.yaml: blank is required");
    assertThat(refused("{}", y -> y.requiredString("a"))).isEqualTo("f.yaml: a is required");
  }

  @Test
  void readsWholeNumbersWithinBounds() {
    YamlEntry e = entry("a: 5\nlow: 1\nhigh: 10\n");
    assertThat(e.intBetween("a", 0, 1, 10)).isEqualTo(5);
    assertThat(e.intBetween("low", 0, 1, 10)).isEqualTo(1);
    assertThat(e.intBetween("high", 0, 1, 10)).isEqualTo(10);
    assertThat(e.intBetween("absent", 7, 1, 10)).isEqualTo(7);
    assertThat(e.requiredIntBetween("a", 1, 10)).isEqualTo(5);
    assertThat(refused("a: 0\n", y -> y.intBetween("a", 5, 1, 10)))
        .isEqualTo("f.yaml: a must be between 1 and 10, got 0");
    assertThat(refused("a: 11\n", y -> y.requiredIntBetween("a", 1, 10)))
        .isEqualTo("f.yaml: a must be between 1 and 10, got 11");
    assertThat(refused("a: 1.5\n", y -> y.intBetween("a", 5, 1, 10)))
        .isEqualTo("f.yaml: a must be a whole number, got '1.5'");
    assertThat(refused("a: '5'\n", y -> y.intBetween("a", 5, 1, 10)))
        .isEqualTo("f.yaml: a must be a whole number, got '5'");
    assertThat(refused("a: 99999999999\n", y -> y.intBetween("a", 5, 1, 10)))
        .isEqualTo("f.yaml: a must be a whole number, got '99999999999'");
    assertThat(refused("{}", y -> y.requiredIntBetween("a", 1, 10)))
        .isEqualTo("f.yaml: a is required");
  }

  @Test
  void readsNumbersWithinBoundsAndWritesThemAsTheFileWould() {
    YamlEntry e = entry("a: 2.5\nb: 3\n");
    assertThat(e.doubleBetween("a", 0, 0.5, 10)).isEqualTo(2.5);
    assertThat(e.doubleBetween("b", 0, 0.5, 10)).isEqualTo(3.0);
    assertThat(e.doubleBetween("absent", 1.3, 1, 5)).isEqualTo(1.3);
    assertThat(e.requiredDoubleBetween("a", -90, 90)).isEqualTo(2.5);
    assertThat(refused("a: 0.25\n", y -> y.doubleBetween("a", 12, 0.5, 336)))
        .isEqualTo("f.yaml: a must be between 0.5 and 336, got 0.25");
    assertThat(refused("a: 91\n", y -> y.requiredDoubleBetween("a", -90, 90)))
        .isEqualTo("f.yaml: a must be between -90 and 90, got 91");
    assertThat(refused("a: -1.5\n", y -> y.doubleBetween("a", 1, 0, 10)))
        .isEqualTo("f.yaml: a must be between 0 and 10, got -1.5");
    assertThat(refused("a: '52'\n", y -> y.doubleBetween("a", 1, 0, 100)))
        .isEqualTo("f.yaml: a must be a number, got '52'");
    assertThat(refused("{}", y -> y.requiredDoubleBetween("lat", -90, 90)))
        .isEqualTo("f.yaml: lat is required");
  }

  @Test
  void readsTrueOrFalse() {
    YamlEntry e = entry("on: true\noff: false\n");
    assertThat(e.bool("on", false)).isTrue();
    assertThat(e.bool("off", true)).isFalse();
    assertThat(e.bool("absent", true)).isTrue();
    assertThat(refused("a: maybe\n", y -> y.bool("a", false)))
        .isEqualTo("f.yaml: a must be true or false, got 'maybe'");
    assertThat(refused("a: 1\n", y -> y.bool("a", false)))
        .isEqualTo("f.yaml: a must be true or false, got '1'");
  }

  @Test
  void readsATimeOfDay() {
    assertThat(entry("at: '07:30'\n").time("at")).isEqualTo(LocalTime.of(7, 30));
    assertThat(refused("at: 25:00\n", y -> y.time("at")))
        .isEqualTo("f.yaml: at must be a time of day such as 07:30, got '25:00'");
    assertThat(refused("at: 5pm\n", y -> y.time("at")))
        .isEqualTo("f.yaml: at must be a time of day such as 07:30, got '5pm'");
    assertThat(refused("{}", y -> y.time("at"))).isEqualTo("f.yaml: at is required (HH:MM)");
  }

  @Test
  void readsListsOfPlainValuesWithOneValueAsAListOfOne() {
    YamlEntry e = entry("many: [' b ', a, b]\none: mon\n");
    assertThat(e.strings("many")).containsExactly("b", "a", "b");
    assertThat(e.strings("one")).containsExactly("mon");
    assertThat(e.strings("absent")).isEmpty();
    assertThat(e.stringSet("many")).containsExactlyInAnyOrder("a", "b");
    assertThat(e.stringSet("absent")).isEmpty();
    assertThat(refused("a: {b: 1}\n", y -> y.strings("a"))).isEqualTo("f.yaml: a must be a list");
    assertThat(refused("a: [[b]]\n", y -> y.strings("a")))
        .isEqualTo("f.yaml: a must list plain values");
    assertThat(refused("a: [b, '  ']\n", y -> y.stringSet("a")))
        .isEqualTo("f.yaml: a must list plain values");
  }

  @Test
  void readsAMappingOfPlainValuesInFileOrder() {
    assertThat(entry("codes: {z: ' 1 ', a: 2}\n").stringMap("codes"))
        .containsExactly(Map.entry("z", "1"), Map.entry("a", "2"));
    assertThat(entry("{}").stringMap("codes")).isEmpty();
    assertThat(refused("codes: [a]\n", y -> y.stringMap("codes")))
        .isEqualTo("f.yaml: codes must be a mapping");
    assertThat(refused("codes: {a: ''}\n", y -> y.stringMap("codes")))
        .isEqualTo("f.yaml: codes.a must be a plain value");
    assertThat(refused("codes: {a: [1]}\n", y -> y.stringMap("codes")))
        .isEqualTo("f.yaml: codes.a must be a plain value");
  }

  @Test
  void readsAnHttpUrl() {
    assertThat(entry("url: https://a.example/h\n").httpUri("url"))
        .isEqualTo(URI.create("https://a.example/h"));
    assertThat(entry("url: HTTP://a.example\n").httpUri("url").getHost()).isEqualTo("a.example");
    for (String bad : new String[] {"ftp://a/b", "notaurl", "http://[bad", "https:///nohost"}) {
      assertThat(refused("url: '" + bad + "'\n", y -> y.httpUri("url")))
          .isEqualTo("f.yaml: url must be an http:// or https:// URL, got '" + bad + "'");
    }
    assertThat(refused("{}", y -> y.httpUri("url"))).isEqualTo("f.yaml: url is required");
  }

  @Test
  void readsASecretFromTheVariableTheFileNames() {
    YamlEntry e = entry("secret_env: KERBSIDE_HOOK_SECRET\n");
    assertThat(e.secret("secret_env", ENV, true).reveal()).isEqualTo("s3cret");
    assertThat(entry("{}").secret("secret_env", ENV, false).isEmpty()).isTrue();
    assertThat(refused("{}", y -> y.secret("secret_env", ENV, true)))
        .isEqualTo(
            "f.yaml: secret_env is required: the name of the environment variable with the secret");
    assertThat(refused("secret_env: s3cret\n", y -> y.secret("secret_env", ENV, false)))
        .isEqualTo("f.yaml: secret_env must name a KERBSIDE_* environment variable, got 's3cret'");
    assertThat(refused("secret_env: KERBSIDE_UNSET\n", y -> y.secret("secret_env", ENV, false)))
        .isEqualTo("f.yaml: secret_env names KERBSIDE_UNSET, which is not set");
  }
}
