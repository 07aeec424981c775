package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import io.kerbside.registry.store.ApiKeyRepository;
import io.kerbside.registry.store.ApiRole;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "councils",
    mixinStandardHelpOptions = true,
    description = "Manages councils (tenants) sharing this installation.",
    subcommands = {CouncilsCommand.Add.class, CouncilsCommand.Key.class})
final class CouncilsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Adds a council (idempotent).")
  static final class Add implements Callable<Integer> {
    @Parameters(
        index = "0",
        description = "Slug used in KERBSIDE_INGEST_SUBSCRIPTIONS, e.g. camden")
    String slug;

    @Parameters(index = "1", description = "Display name, e.g. \"London Borough of Camden\"")
    String name;

    @Override
    public Integer call() throws Exception {
      if (!slug.matches("[a-z0-9][a-z0-9-]{0,62}")) {
        throw new ConfigException(
            "council slug must be lower-case letters, digits and -, got '" + slug + "'");
      }
      DatabaseConfig db = DatabaseConfig.from(Settings.fromEnvironment());
      try (HikariDataSource ds = DataSources.open(db, "admin", null)) {
        CouncilRef ref = new Councils(ds).add(slug, name);
        System.out.println("council " + ref.slug() + " has id " + ref.id());
      }
      return 0;
    }
  }

  @Command(
      name = "key",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a REST API key for a council and prints it once; only its hash is stored.",
        "Callers send it as Authorization: Bearer <key> and see only that council."
      })
  static final class Key implements Callable<Integer> {
    @Parameters(index = "0", description = "The council's slug, e.g. default")
    String slug;

    @picocli.CommandLine.Option(
        names = "--label",
        description = "What the key is for, e.g. \"GIS dashboard\"")
    String label;

    @picocli.CommandLine.Option(
        names = "--role",
        defaultValue = "viewer",
        description =
            "viewer (read), operator (also act on alerts) or admin. Default: ${DEFAULT-VALUE}")
    String role;

    @Override
    public Integer call() throws Exception {
      DatabaseConfig db = DatabaseConfig.from(Settings.fromEnvironment());
      try (HikariDataSource ds = DataSources.open(db, "admin", null)) {
        CouncilRef ref =
            new Councils(ds)
                .find(slug)
                .orElseThrow(() -> new ConfigException("no council '" + slug + "'"));
        Secret key =
            new ApiKeyRepository(ds)
                .create(
                    ref,
                    label,
                    ApiRole.fromCode(role)
                        .orElseThrow(
                            () ->
                                new ConfigException(
                                    "--role must be viewer, operator or admin, got '"
                                        + role
                                        + "'")));
        System.out.println(key.reveal());
        System.err.println(
            "API key for council " + ref.slug() + " created; it is shown only this once");
      }
      return 0;
    }
  }
}
