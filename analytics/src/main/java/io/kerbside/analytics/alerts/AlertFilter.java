package io.kerbside.analytics.alerts;

import java.time.Instant;
import java.util.Optional;

/** Which alerts a listing returns; every field is optional. */
public record AlertFilter(
    Optional<String> status,
    Optional<String> kind,
    Optional<String> rule,
    Optional<String> ward,
    Optional<String> severity,
    Optional<Instant> from,
    Optional<Instant> to) {

  public static AlertFilter all() {
    return new AlertFilter(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** Only active alerts (open or acknowledged) when {@code status} is {@code active}. */
  public boolean activeOnly() {
    return status.filter("active"::equals).isPresent();
  }
}
