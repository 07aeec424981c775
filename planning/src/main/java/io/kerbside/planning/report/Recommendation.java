package io.kerbside.planning.report;

import java.util.Arrays;
import java.util.Optional;

/** What the rationalisation report recommends for a bin; the codes are the API's and the CSV's. */
public enum Recommendation {
  /** Overflowing more hours than allowed: a bigger bin, or another lift. */
  UPSIZE_OR_ADD_LIFT("upsize-or-add-lift"),
  /** On a street where some bins overflow while others stay underused: move capacity along it. */
  REBALANCE_STREET("rebalance-street"),
  /** Emptied far from full and filling slowly: remove it, or move it where it is needed. */
  REMOVE_OR_MOVE("remove-or-move"),
  /** None of the above, or too few readings to judge. */
  KEEP("keep");

  private final String code;

  Recommendation(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<Recommendation> fromCode(String code) {
    return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
  }
}
