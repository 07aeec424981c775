package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.auth.CrewLinks;
import io.kerbside.app.AppConfig;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import io.kerbside.worklists.WorklistsConfig;
import io.kerbside.worklists.crew.CrewPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kerbside crew link}: a signed link to the crew page for one crew. */
@Command(
    name = "crew",
    mixinStandardHelpOptions = true,
    description = "The crew page (/crew/): signed links for crews.",
    subcommands = {CrewCommand.Link.class})
final class CrewCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "link",
      mixinStandardHelpOptions = true,
      description = {
        "Prints a link to the crew page that signs the crew in until it expires; the crew acts on"
            + " the council's alerts as an operator, recorded as crew:<NAME>.",
        "Needs KERBSIDE_CREW_LINK_SECRET (the running server must have the same one). The link's"
            + " address is KERBSIDE_CREW_BASE_URL, or the HTTP server's own."
      })
  static final class Link implements Callable<Integer> {
    @Option(
        names = "--council",
        defaultValue = "default",
        description = "The council's slug. Default: ${DEFAULT-VALUE}")
    String council;

    @Option(names = "--crew", required = true, paramLabel = "NAME", description = "The crew's name")
    String crew;

    @Option(
        names = "--hours",
        description = "How long the link is valid. Default: KERBSIDE_CREW_LINK_HOURS (12)")
    Integer hours;

    @Override
    public Integer call() throws Exception {
      Settings settings = Settings.fromEnvironment();
      WorklistsConfig config = WorklistsConfig.from(settings);
      if (config.crewLinkSecret().isEmpty()) {
        throw new ConfigException(
            WorklistsConfig.LINK_SECRET
                + " must be set to make crew links (at least "
                + WorklistsConfig.MIN_SECRET_LENGTH
                + " characters; the server needs the same one)");
      }
      int h = hours == null ? config.crewLinkHours() : hours;
      if (h < 1 || h > 168) {
        throw new ConfigException("--hours must be between 1 and 168, got " + h);
      }
      if (!CrewLinks.CREW_NAME.matcher(crew).matches()) {
        throw new ConfigException(
            "--crew must be 1 to 64 letters, digits, spaces or . _ ' - starting with a letter or"
                + " digit, got '"
                + crew.replaceAll("\\p{Cntrl}", "?")
                + "'");
      }
      CouncilRef ref;
      try (HikariDataSource ds =
          DataSources.open(DatabaseConfig.from(settings), "crew-cli", null)) {
        ref =
            new Councils(ds)
                .find(council)
                .orElseThrow(() -> new ConfigException("no council '" + council + "'"));
      }
      Instant expires = Instant.now().plus(Duration.ofHours(h));
      String token =
          new CrewLinks(config.crewLinkSecret(), Clock.systemUTC()).sign(ref, crew, expires);
      System.out.println(link(config, AppConfig.from(settings), token));
      System.err.println(
          "kerbside: valid until " + expires + " for crew " + crew + " of " + council);
      return 0;
    }
  }

  /** The crew page's address with {@code token} in its fragment (never sent to a server). */
  static String link(WorklistsConfig config, AppConfig app, String token) {
    String base =
        config
            .crewBaseUrl()
            .orElseGet(
                () -> {
                  String host = app.httpHost();
                  if (host.equals("0.0.0.0") || host.equals("::")) {
                    host = "127.0.0.1";
                  }
                  if (host.contains(":")) {
                    host = "[" + host + "]";
                  }
                  return app.httpScheme() + "://" + host + ":" + app.httpPort();
                });
    return base + CrewPage.PATH + "#t=" + token;
  }
}
