package io.kerbside.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlertsCommandTest {
  @Test
  void aPersonIsRecordedUnderTheCliNamespace() {
    assertThat(AlertsCommand.actor("sam", "login")).isEqualTo("cli:sam");
    assertThat(AlertsCommand.actor("  Sam Jones  ", "login")).isEqualTo("cli:Sam Jones");
    assertThat(AlertsCommand.actor("cli:sam", "login")).as("said once").isEqualTo("cli:sam");
    assertThat(AlertsCommand.actor("Zoë Ødegård", "login")).isEqualTo("cli:Zoë Ødegård");
  }

  @Test
  void withoutByTheLoginNameIsRecorded() {
    assertThat(AlertsCommand.actor(null, "sam")).isEqualTo("cli:sam");
    assertThat(AlertsCommand.actor(null, null)).isEqualTo("cli:unknown");
    assertThat(AlertsCommand.actor(null, "bad\u0000name")).isEqualTo("cli:unknown");
  }

  @ParameterizedTest
  @ValueSource(strings = {"kerbside", "key:north crew", "key:7:north crew", "open311:works"})
  void forgingKerbsideOrAnApiKeyOnlyNamesAPerson(String forged) {
    String actor = AlertsCommand.actor(forged, "login");
    assertThat(actor).isEqualTo("cli:" + forged);
    assertThat(actor).isNotEqualTo("kerbside").doesNotStartWith("key:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "cli:", "sam\u0000", "sam\nkerbside", "a\u202Eb", "tab\there"})
  void refusesNamesThatAreEmptyOrNotPrintable(String by) {
    assertThatThrownBy(() -> AlertsCommand.actor(by, "login"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--by must be a name of 1 to 100 printable characters");
  }

  @Test
  void refusesNamesLongerThanAHundredCharacters() {
    assertThat(AlertsCommand.actor("x".repeat(100), "login")).hasSize(104);
    assertThatThrownBy(() -> AlertsCommand.actor("x".repeat(101), "login"))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void refusesByBeforeTouchingTheDatabase() {
    assertThat(KerbsideCli.execute("alerts", "ack", "1", "--by", "")).isEqualTo(2);
  }
}
