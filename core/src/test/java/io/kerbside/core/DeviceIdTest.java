package io.kerbside.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdTest {
  @ParameterizedTest
  @ValueSource(strings = {"b", "bin-0042", "Lamp_7.A", "0", "-._"})
  void acceptsLettersDigitsAndDotDashUnderscore(String id) {
    assertThat(DeviceId.isValid(id)).isTrue();
    assertThat(new DeviceId(id).value()).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "a/b", "a+b", "é", "bin\n", "\u0661"})
  void refusesAnythingElse(String id) {
    assertThat(DeviceId.isValid(id)).isFalse();
    assertThatThrownBy(() -> new DeviceId(id)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNullAndMoreThan64Characters() {
    assertThat(DeviceId.isValid(null)).isFalse();
    assertThat(DeviceId.isValid("x".repeat(64))).isTrue();
    assertThat(DeviceId.isValid("x".repeat(65))).isFalse();
  }

  @Test
  void acceptsExactlyWhatTheDocumentedPatternAccepts() {
    Pattern documented = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    for (char c = 0; c < 0x3000; c++) {
      String id = "a" + c;
      assertThat(DeviceId.isValid(id))
          .as("U+%04X", (int) c)
          .isEqualTo(documented.matcher(id).matches());
    }
  }
}
