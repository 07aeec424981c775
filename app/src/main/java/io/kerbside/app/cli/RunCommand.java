package io.kerbside.app.cli;

import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one or more roles in this process until SIGTERM or Ctrl-C.",
      "Configuration comes from KERBSIDE_* environment variables (see the README)."
    })
final class RunCommand implements Callable<Integer> {
  @Option(
      names = "--roles",
      split = ",",
      defaultValue = "ingest",
      description =
          "Roles to run, comma-separated (available: ingest, analytics). Default: ${DEFAULT-VALUE}.")
  String[] roles;

  @Option(names = "--migrate", description = "Apply database migrations before starting.")
  boolean migrate;

  @Override
  public Integer call() throws Exception {
    Set<Role> selected = EnumSet.noneOf(Role.class);
    for (String r : roles) {
      selected.add(
          Role.fromCode(r)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "--roles: unknown role '"
                              + r
                              + "', known: "
                              + Arrays.toString(Role.values())
                                  .toLowerCase(java.util.Locale.ROOT))));
    }
    return runUntilStopped(selected, migrate);
  }

  /** Exit code when a part of the process failed while it ran (sysexits' EX_SOFTWARE). */
  static final int EXIT_FAILED = 70;

  static int runUntilStopped(Set<Role> roles, boolean migrate) throws Exception {
    Settings settings = Settings.fromEnvironment();
    if (migrate) {
      settings = settings.with(DatabaseConfig.MIGRATE, "true");
    }
    KerbsideProcess process = KerbsideProcess.start(settings, roles);
    Runtime.getRuntime().addShutdownHook(new Thread(process::close, "kerbside-shutdown"));
    if (process.awaitStop()) {
      // A part failed: stop what still runs and exit non-zero, so a supervisor restarts us.
      process.close();
      return EXIT_FAILED;
    }
    return 0;
  }
}
