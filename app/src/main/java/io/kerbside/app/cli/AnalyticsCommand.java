package io.kerbside.app.cli;

import io.kerbside.app.Role;
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
    })
final class AnalyticsCommand implements Callable<Integer> {
  @Option(names = "--migrate", description = "Apply database migrations before starting.")
  boolean migrate;

  @Override
  public Integer call() throws Exception {
    return RunCommand.runUntilStopped(EnumSet.of(Role.ANALYTICS), migrate);
  }
}
