package io.kerbside.analytics.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every rule Kerbside ships, by code. */
public final class RuleCatalog {
  private static final List<Rule> ALL =
      List.of(
          new BinFullRule(),
          new BinPredictedFullRule(),
          new BinFireRule(),
          new BinKnockedOverRule(),
          new BinNotCollectedRule(),
          new LampFailureRule(),
          new DayBurnerRule(),
          new LampCyclingRule(),
          new LampPowerBandRule(),
          new IceRiskRule(),
          new PavementRoughnessRule(),
          new TripHazardRule(),
          new DeviceOfflineRule(),
          new BatteryLowRule(),
          new StuckSensorRule(),
          new OutOfRangeValuesRule(),
          new FrameCounterGapsRule());

  private static final Map<String, Rule> BY_CODE = new LinkedHashMap<>();

  static {
    for (Rule r : ALL) {
      if (BY_CODE.put(r.code(), r) != null) {
        throw new IllegalStateException("two rules named " + r.code());
      }
    }
  }

  private RuleCatalog() {}

  public static List<Rule> all() {
    return ALL;
  }

  public static Optional<Rule> byCode(String code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }
}
