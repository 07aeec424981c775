package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.auth.ApiKeyInfo;
import io.kerbside.api.auth.ApiKeyRepository;
import io.kerbside.api.auth.ApiRole;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
        "Callers send it as Authorization: Bearer <key> and see only that council.",
        "--list shows the council's keys (id, created, revoked, label; never a key or its hash);",
        "--revoke ID revokes one: the REST API refuses it from then on."
      })
  static final class Key implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Parameters(index = "0", description = "The council's slug, e.g. default")
    String slug;

    @ArgGroup(exclusive = true)
    Action action;

    static final class Action {
      @Option(names = "--label", description = "What a new key is for, e.g. \"GIS dashboard\"")
      String label;

      @Option(names = "--list", description = "List the council's keys instead of creating one")
      boolean list;

      @Option(
          names = "--revoke",
          paramLabel = "ID",
          description = "Revoke the council's key with this id (see --list)")
      Long revoke;
    }

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
        ApiKeyRepository keys = new ApiKeyRepository(ds);
        if (action != null && action.list) {
          return list(keys, ref);
        }
        if (action != null && action.revoke != null) {
          return revoke(keys, ref, action.revoke);
        }
        Secret key =
            keys.create(
                ref,
                action == null ? null : action.label,
                ApiRole.fromCode(role)
                    .orElseThrow(
                        () ->
                            new ConfigException(
                                "--role must be viewer, operator or admin, got '" + role + "'")));
        System.out.println(key.reveal());
        System.err.println(
            "API key for council " + ref.slug() + " created; it is shown only this once");
      }
      return 0;
    }

    private static int list(ApiKeyRepository keys, CouncilRef council) throws SQLException {
      List<ApiKeyInfo> all = keys.list(council);
      if (all.isEmpty()) {
        System.err.println("council " + council.slug() + " has no API keys");
        return 0;
      }
      System.out.printf(Locale.ROOT, "%-8s %-20s %-20s %s%n", "id", "created", "revoked", "label");
      for (ApiKeyInfo k : all) {
        System.out.printf(
            Locale.ROOT,
            "%-8d %-20s %-20s %s%n",
            k.id(),
            TIME.format(k.createdAt()),
            k.revokedAt() == null ? "-" : TIME.format(k.revokedAt()),
            k.label() == null ? "" : k.label());
      }
      return 0;
    }

    private static int revoke(ApiKeyRepository keys, CouncilRef council, long id)
        throws SQLException {
      switch (keys.revoke(council, id)) {
        case REVOKED -> System.out.println("API key " + id + " revoked");
        case ALREADY_REVOKED -> System.out.println("API key " + id + " was already revoked");
        case NOT_FOUND -> {
          System.err.println("council " + council.slug() + " has no API key " + id);
          return 1;
        }
      }
      return 0;
    }
  }
}
