package io.kerbside.planning.report;

import io.kerbside.core.CouncilRef;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;

/**
 * The bin rationalisation report of a council (docs/rationalisation.md): per active bin over the
 * last weeks, its lifts, mean fill at emptying, hours overflowing and fill rate by weekday, and
 * whether to remove or move it, upsize it or add a lift, rebalance its street, or keep it. Reads
 * only the council's own rows. Blocking (JDBC): never call it on an event loop. Thread-safe.
 */
public final class BinRationalisation {
  private final RationalisationConfig config;
  private final RationalisationRepository repository;
  private final Clock clock;

  public BinRationalisation(RationalisationConfig config, DataSource dataSource, Clock clock) {
    this.config = config;
    this.repository = new RationalisationRepository(dataSource);
    this.clock = clock;
  }

  public RationalisationConfig config() {
    return config;
  }

  /**
   * The report over the {@code weeks} weeks up to now (to the second).
   *
   * @throws IllegalArgumentException when {@code weeks} is not between 1 and {@link
   *     RationalisationConfig#MAX_WEEKS}
   */
  public RationalisationReport report(CouncilRef council, int weeks) throws SQLException {
    if (weeks < 1 || weeks > RationalisationConfig.MAX_WEEKS) {
      throw new IllegalArgumentException(
          "weeks must be between 1 and " + RationalisationConfig.MAX_WEEKS + ", got " + weeks);
    }
    Instant to = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant from = to.minus(Duration.ofDays(7L * weeks));
    RationalisationRules rules = new RationalisationRules(config);
    RationalisationRepository.Measured measured =
        repository.measure(council, from, to, bin -> rules.figures(bin, to));
    List<RationalisedBin> judged = rules.judge(measured.bins(), measured.figures(), from, to);
    return new RationalisationReport(council.slug(), from, to, weeks, config, judged);
  }
}
