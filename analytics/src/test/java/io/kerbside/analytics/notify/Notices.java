package io.kerbside.analytics.notify;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Notices for tests. */
public final class Notices {
  private Notices() {}

  public static AlertNotice binFull() {
    return notice("default", "bin", "bin-full", "major", "opened", Optional.of("Castle"));
  }

  public static AlertNotice notice(
      String council,
      String kind,
      String rule,
      String severity,
      String event,
      Optional<String> ward) {
    return new AlertNotice(
        12,
        34,
        event,
        council,
        rule,
        kind,
        severity,
        "open",
        "asset/5",
        "Bin 91% full",
        91.0,
        93.5,
        Instant.parse("2026-11-27T06:00:00Z"),
        Instant.parse("2026-11-27T06:00:05Z"),
        Optional.empty(),
        "bin-0042",
        Optional.of(
            new AlertNotice.AssetLocation(
                "BIN-0042",
                "Market Square bin",
                52.2053,
                0.1218,
                "Market Street",
                ward.orElse(null))),
        Map.of("threshold_pct", 85));
  }
}
