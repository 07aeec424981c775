package io.kerbside.analytics.rules;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a rule concluded about one subject as of one instant.
 *
 * <ul>
 *   <li>{@link State#ACTIVE}: the condition holds; {@code value} is the measure that shows it (fill
 *       %, temperature, watts ...), {@code summary} a sentence a crew understands.
 *   <li>{@link State#CLEAR}: the condition is over (past the rule's hysteresis).
 *   <li>{@link State#UNKNOWN}: not enough data to say, or between the raise and clear thresholds;
 *       the alert keeps its state.
 * </ul>
 *
 * @param observedAt the reading time that shows the state (the evaluation instant for timers)
 * @param predictedAt for predictions (e.g. a bin's time to full), when the condition is expected
 */
public record Evaluation(
    State state,
    Instant observedAt,
    double value,
    String summary,
    Map<String, Object> details,
    Optional<Instant> predictedAt) {

  public enum State {
    ACTIVE,
    CLEAR,
    UNKNOWN
  }

  public Evaluation {
    details = Map.copyOf(details);
  }

  public static Evaluation active(Instant at, double value, String summary) {
    return new Evaluation(State.ACTIVE, at, value, summary, Map.of(), Optional.empty());
  }

  public static Evaluation active(
      Instant at, double value, String summary, Map<String, Object> details) {
    return new Evaluation(State.ACTIVE, at, value, summary, details, Optional.empty());
  }

  public static Evaluation clear(Instant at, double value) {
    return new Evaluation(State.CLEAR, at, value, "", Map.of(), Optional.empty());
  }

  public static Evaluation unknown(Instant at) {
    return new Evaluation(State.UNKNOWN, at, Double.NaN, "", Map.of(), Optional.empty());
  }

  public Evaluation withPrediction(Instant predicted) {
    return new Evaluation(state, observedAt, value, summary, details, Optional.of(predicted));
  }

  public boolean isActive() {
    return state == State.ACTIVE;
  }

  public boolean isClear() {
    return state == State.CLEAR;
  }
}
