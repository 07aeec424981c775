package io.kerbside.app.cli;

import io.kerbside.app.Role;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the ingest service: MQTT readings into the database, until SIGTERM or Ctrl-C.",
      "Same as: kerbside run --roles ingest"
    })
final class IngestCommand implements Callable<Integer> {
  @Option(names = "--migrate", description = "Apply database migrations before starting.")
  boolean migrate;

  @Override
  public Integer call() throws Exception {
    return RunCommand.runUntilStopped(EnumSet.of(Role.INGEST), migrate);
  }
}
