package io.kerbside.ingest.store;

import static io.kerbside.ingest.store.SequenceState.Change.GAP;
import static io.kerbside.ingest.store.SequenceState.Change.NONE;
import static io.kerbside.ingest.store.SequenceState.Change.RECOVERED;
import static io.kerbside.ingest.store.SequenceState.Change.RESET;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceStateTest {
  private final SequenceState state = new SequenceState();

  @Test
  void countsTheNumbersAStepUpSkips() {
    assertThat(state.observe(10, 1_000)).isEqualTo(NONE);
    assertThat(state.observe(11, 2_000)).isEqualTo(NONE);
    assertThat(state.last()).isEqualTo(11);
    assertThat(state.observe(15, 3_000)).isEqualTo(GAP);
    assertThat(state.last()).isEqualTo(15);
    assertThat(state.observe(16, 4_000)).isEqualTo(NONE);
  }

  @Test
  void aLateReadingFillsItsGapOnceAndADuplicateChangesNothing() {
    state.observe(1, 1_000);
    assertThat(state.observe(3, 3_000)).isEqualTo(GAP);
    assertThat(state.observe(3, 3_000)).as("duplicate").isEqualTo(NONE);
    assertThat(state.observe(2, 2_000)).isEqualTo(RECOVERED);
    assertThat(state.observe(2, 2_000)).as("late duplicate").isEqualTo(NONE);
    assertThat(state.observe(1, 1_000)).as("never counted lost").isEqualTo(NONE);
  }

  @Test
  void remembersMissingNumbersAcrossLaterSteps() {
    state.observe(1, 1_000);
    state.observe(5, 5_000); // 2, 3, 4 lost
    state.observe(6, 6_000);
    state.observe(9, 9_000); // 7, 8 lost
    assertThat(state.observe(3, 3_000)).isEqualTo(RECOVERED);
    assertThat(state.observe(8, 8_000)).isEqualTo(RECOVERED);
    assertThat(state.observe(6, 6_000)).as("arrived in time").isEqualTo(NONE);
  }

  @Test
  void aLowerNumberInALaterReadingIsAResetAndNothingIsLostAcrossIt() {
    state.observe(500, 1_000);
    assertThat(state.observe(1, 2_000)).isEqualTo(RESET);
    assertThat(state.observe(2, 3_000)).isEqualTo(NONE);
    assertThat(state.observe(499, 500)).as("from before the reset").isEqualTo(NONE);
  }

  @Test
  void onlyTheLast64MissingNumbersOfALongGapCanBeRecovered() {
    state.observe(1, 1_000);
    assertThat(state.observe(1_000, 2_000)).isEqualTo(GAP);
    assertThat(state.observe(999, 1_999)).isEqualTo(RECOVERED);
    assertThat(state.observe(936, 1_936)).isEqualTo(RECOVERED);
    assertThat(state.observe(935, 1_935)).as("outside the window").isEqualTo(NONE);
  }
}
