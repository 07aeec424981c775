package io.kerbside.sim.model;

import io.kerbside.sim.ConditionType;
import io.kerbside.sim.town.Asset;
import java.time.Instant;
import java.util.Map;

/** Receives the conditions device models observe (a bin emptied, ice forming...). */
@FunctionalInterface
public interface ConditionSink {
  /**
   * @param type what happened
   * @param asset where
   * @param from when it began (or happened)
   * @param until when it ended; {@code null} for something that happened at one instant
   * @param detail a few named figures (numbers or short strings)
   */
  void condition(
      ConditionType type, Asset asset, Instant from, Instant until, Map<String, Object> detail);

  static ConditionSink none() {
    return (type, asset, from, until, detail) -> {};
  }
}
