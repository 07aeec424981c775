package io.kerbside.bench.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinTallyTest {
  private static final Instant FROM = Instant.parse("2026-11-02T05:00:00Z");
  private static final Instant UNTIL = Instant.parse("2026-11-09T05:00:00Z");

  private static final String TRUTH =
      String.join(
          "\n",
          "{\"record\":\"run\",\"scenario\":\"collection-week\",\"seed\":42}",
          // a lift in the warm-up: not counted
          "{\"record\":\"condition\",\"type\":\"bin-collected\",\"device\":\"bin-00001\","
              + "\"kind\":\"bin\",\"at\":\"2026-11-01T07:00:00Z\",\"fill_before_pct\":99.0}",
          "{\"record\":\"condition\",\"type\":\"bin-collected\",\"device\":\"bin-00001\","
              + "\"kind\":\"bin\",\"at\":\"2026-11-02T07:00:00Z\",\"fill_before_pct\":40.0}",
          "{\"record\":\"condition\",\"type\":\"bin-collected\",\"device\":\"bin-00002\","
              + "\"kind\":\"bin\",\"at\":\"2026-11-05T09:30:00Z\",\"fill_before_pct\":92.5}",
          // the end is not in the window
          "{\"record\":\"condition\",\"type\":\"bin-collected\",\"device\":\"bin-00002\","
              + "\"kind\":\"bin\",\"at\":\"2026-11-09T05:00:00Z\",\"fill_before_pct\":10.0}",
          // overflowing from before the window: only the hours in it count (3 h)
          "{\"record\":\"condition\",\"type\":\"bin-overflowing\",\"device\":\"bin-00003\","
              + "\"kind\":\"bin\",\"from\":\"2026-11-02T02:00:00Z\","
              + "\"until\":\"2026-11-02T08:00:00Z\",\"peak_fill_pct\":104.0}",
          // 1.5 h in the window
          "{\"record\":\"condition\",\"type\":\"bin-overflowing\",\"device\":\"bin-00004\","
              + "\"kind\":\"bin\",\"from\":\"2026-11-06T12:00:00Z\","
              + "\"until\":\"2026-11-06T13:30:00Z\",\"peak_fill_pct\":131.2}",
          // wholly after the window
          "{\"record\":\"condition\",\"type\":\"bin-overflowing\",\"device\":\"bin-00005\","
              + "\"kind\":\"bin\",\"from\":\"2026-11-09T06:00:00Z\","
              + "\"until\":\"2026-11-09T09:00:00Z\",\"peak_fill_pct\":180.0}",
          "{\"record\":\"condition\",\"type\":\"bin-full\",\"device\":\"bin-00004\","
              + "\"kind\":\"bin\",\"at\":\"2026-11-06T11:00:00Z\",\"fill_pct\":90.1}",
          "{\"record\":\"summary\",\"sent\":10}");

  @Test
  void countsTheLiftsAndOverflowingHoursInTheWindowAndTheWorstFill() throws Exception {
    BinTally t = BinTally.of(new BufferedReader(new StringReader(TRUTH)), FROM, UNTIL);
    assertThat(t.lifts()).isEqualTo(2);
    assertThat(t.overflowHours()).isCloseTo(4.5, offset(1e-9));
    assertThat(t.worstFillPct()).isEqualTo(131.2);
    assertThat(t.liftedBinsWorth()).as("0.40 + 0.925").isCloseTo(1.325, offset(1e-9));
    assertThat(t.meanFillAtEmptyingPct()).isCloseTo(66.25, offset(1e-9));
  }

  @Test
  void withoutOverflowTheWorstFillIsTheFullestBinEmptied() throws Exception {
    String lifts =
        TRUTH
            .lines()
            .filter(l -> !l.contains("bin-overflowing"))
            .reduce("", (a, b) -> a + b + "\n");
    BinTally t = BinTally.of(new BufferedReader(new StringReader(lifts)), FROM, UNTIL);
    assertThat(t.overflowHours()).isZero();
    assertThat(t.worstFillPct()).isEqualTo(92.5);
  }

  @Test
  void theTableComparesThePlannedRunWithTheFixedOne() {
    RoundFigures a =
        new RoundFigures("(a) fixed rounds", new BinTally(600, 800, 137, 348), 80, 0, List.of());
    RoundFigures b =
        new RoundFigures(
            "(b) planned by Kerbside",
            new BinTally(300, 40, 109, 240),
            52,
            1,
            List.of(4.0, 9.0, 5.0));
    assertThat(b.planMedianSeconds()).isEqualTo(5.0);
    assertThat(b.planMaxSeconds()).isEqualTo(9.0);
    String table = RoundFigures.table(a, b);
    assertThat(table)
        .contains("| (a) fixed rounds | 600 | 58 % | 80.0 | 800.0 | 137 % | - | 0 |")
        .contains(
            "| (b) planned by Kerbside | 300 | 80 % | 52.0 | 40.0 | 109 % | 5.0 s / 9.0 s | 1 |")
        .contains("| (b) against (a) | -50 % | | -35 % | -95 % |");
    assertThat(RoundFigures.halfTheLifts(a, b))
        .isEqualTo(
            "(b)'s lifts carried 240.0 bins' worth of rubbish; in half (a)'s lifts (300) that is"
                + " 80 % of a bin a lift.\n");
    assertThat(RoundFigures.change(0, 0)).isEqualTo("same");
  }
}
