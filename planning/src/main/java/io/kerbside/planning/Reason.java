package io.kerbside.planning;

import java.util.Optional;

/** Why a bin is on a collection plan; a bin may have several reasons. */
public enum Reason {
  /** Its predicted fill at the round's end reaches the threshold. */
  PREDICTED_FILL("predicted-fill"),
  /** Left until the round's next run, it would overflow first. */
  OVERFLOW_BEFORE_NEXT_ROUND("overflow-before-next-round"),
  /** It has an open {@code bin-full} or {@code bin-not-collected} alert. */
  ALERT("alert"),
  /** Its sensor is silent and its fixed schedule ({@code collection_days}) says today. */
  SCHEDULE("schedule");

  private final String code;

  Reason(String code) {
    this.code = code;
  }

  /** The code stored and shown: {@code predicted-fill}. */
  public String code() {
    return code;
  }

  public static Optional<Reason> fromCode(String code) {
    for (Reason r : values()) {
      if (r.code.equals(code)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
