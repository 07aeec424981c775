package io.kerbside.app.cli;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.db.DatabaseUnavailableException;
import org.eclipse.paho.client.mqttv3.MqttException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kerbside <command>}: the single entry point of the distribution. */
@Command(
    name = "kerbside",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Street-asset sensor readings in, maintenance work out.",
    subcommands = {
      MigrateCommand.class,
      IngestCommand.class,
      AnalyticsCommand.class,
      AlertsCommand.class,
      WorklistCommand.class,
      CrewCommand.class,
      RunCommand.class,
      CouncilsCommand.class,
      BrokerCommand.class,
      AssetsCommand.class,
      PlanCommand.class,
      SimCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class KerbsideCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code; configuration errors exit with 2. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new KerbsideCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException
              || e instanceof DatabaseUnavailableException
              || e instanceof MqttException) {
            String msg =
                e instanceof MqttException && e.getCause() != null
                    ? e.getCause().getMessage()
                    : e.getMessage();
            commandLine.getErr().println("kerbside: " + msg);
            return e instanceof ConfigException ? 2 : 3;
          }
          throw e;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
