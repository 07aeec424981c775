package io.kerbside.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParamsTest {
  @Test
  void textWithANulByteOrAnotherControlCharacterIsRefusedNamingTheParameter() {
    assertThat(Params.textProblem("ward", "Market\u0000", 200, false))
        .isEqualTo("ward must not hold control characters (found U+0000)");
    assertThat(Params.textProblem("ward", "Mar\u0007ket", 200, false)).contains("U+0007");
    assertThat(Params.textProblem("note", "line one\nline\ttwo\r\n", 4000, true)).isNull();
    assertThat(Params.textProblem("assignee", "Crew\nA", 200, false)).contains("assignee");
  }

  @Test
  void textLongerThanItsLimitIsRefused() {
    assertThat(Params.textProblem("assignee", "x".repeat(201), 200, false))
        .isEqualTo("assignee is at most 200 characters");
    assertThat(Params.textProblem("assignee", "x".repeat(200), 200, false)).isNull();
  }

  @Test
  void textInAnyScriptIsAccepted() {
    assertThat(
            Params.textProblem(
                "ward", "Llanfair Pwllgwyngyll \u00e9\u4e2d\uD83D\uDE00", 200, false))
        .isNull();
  }
}
