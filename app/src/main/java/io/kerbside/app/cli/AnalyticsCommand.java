package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.analytics.evaluate.ReplayPass;
import io.kerbside.app.Role;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "analytics",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the analytics role: rules over stored readings raise maintenance alerts and deliver",
      "them, until SIGTERM or Ctrl-C. Same as: kerbside run --roles analytics"
    },
    subcommands = {AnalyticsCommand.Replay.class})
final class AnalyticsCommand implements Callable<Integer> {
  @Option(names = "--migrate", description = "Apply database migrations before starting.")
  boolean migrate;

  @Override
  public Integer call() throws Exception {
    return RunCommand.runUntilStopped(EnumSet.of(Role.ANALYTICS), migrate);
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = {
        "Evaluates older readings on purpose (e.g. a backlog older than the catch-up window):",
        "the reading rules at every reading of [--from, --to), as of its time. Each episode of a",
        "condition that no alert covers yet is recorded - a past one as an alert resolved with its",
        "condition's times and not sent to crews, one still going at --to as an open alert.",
        "Running it again over the same range records nothing new."
      })
  static final class Replay implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "Start, e.g. 2026-11-01T00:00:00Z")
    String from;

    @Option(names = "--to", required = true, description = "End (excluded), not in the future")
    String to;

    @Option(names = "--council", description = "Only this council's devices (a slug)")
    String council;

    @Override
    public Integer call() throws Exception {
      Instant start = instant("--from", from);
      Instant end = instant("--to", to);
      Settings settings = Settings.fromEnvironment();
      DatabaseConfig db = DatabaseConfig.from(settings);
      AnalyticsConfig config = AnalyticsConfig.from(settings);
      try (HikariDataSource ds = DataSources.open(db, "analytics-replay", null)) {
        Integer councilId = null;
        if (council != null) {
          CouncilRef ref =
              new Councils(ds)
                  .find(council)
                  .orElseThrow(() -> new ConfigException("no council '" + council + "'"));
          councilId = ref.id();
        }
        ReplayPass.Report r;
        try {
          r =
              new ReplayPass(ds, config, config.rules(), Clock.systemUTC())
                  .replay(start, end, councilId);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(e.getMessage());
        }
        System.out.printf(
            "replayed %s to %s: %d devices, %,d evaluations, %d episodes: %d recorded as past"
                + " alerts, %d opened, %d already known%n",
            start,
            end,
            r.devices(),
            r.evaluations(),
            r.episodes(),
            r.recorded(),
            r.opened(),
            r.known());
      }
      return 0;
    }

    private static Instant instant(String option, String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new ConfigException(
            option + " must be an instant like 2026-11-01T00:00:00Z, got '" + text + "'");
      }
    }
  }
}
